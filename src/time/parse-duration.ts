const UNITS_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * "30d", "12h", "90m", "2w" to milliseconds; undefined for anything else. Used wherever a
 * person types a period: key expiry, retention, `--since`.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n * UNITS_MS[m[2] as keyof typeof UNITS_MS] : undefined;
}

export const durationHint = 'a whole number and a unit: 90m, 12h, 30d or 2w';

import type { CliOutput } from './cli-io.ts';

/** Prints a result as JSON (for scripts) or as aligned `key  value` lines (for people). */
export function print(out: CliOutput, value: Record<string, unknown>, json: boolean): void {
  if (json) {
    out.write(`${JSON.stringify(value)}\n`);
    return;
  }
  const width = Math.max(...Object.keys(value).map((k) => k.length));
  for (const [k, v] of Object.entries(value)) out.write(`${k.padEnd(width)}  ${v ?? '-'}\n`);
}

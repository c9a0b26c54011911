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

/** Prints rows under a header row, each column as wide as its widest cell, for people (scripts use --json). */
export function printTable(out: CliOutput, header: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const r of [header, ...rows]) {
    out.write(
      `${r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}

/** Breaks text into lines of at most `width` characters at spaces (a longer word keeps its own line). */
export function wrap(text: string, width = 80): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]} ${word}`.length <= width) lines[last] = `${lines[last]} ${word}`;
    else lines.push(word);
  }
  return lines;
}

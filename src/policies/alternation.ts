/**
 * Builds `(?:a|b|c)` from word-list entries, grouped by first character:
 * `(?:p(?:ain|ills)|o(?:xy\w*|pioids?))`. A regex engine tries every alternative at every
 * position of the text; grouping lets it reject a position after one character instead of
 * after a hundred alternatives, which matters for long lists like drug names. The language
 * matched is the same: entries keep their order (longest first) within a group, and groups
 * start with different characters.
 */
export function alternation(entries: readonly string[]): string {
  const sorted = [...entries].sort((a, b) => b.length - a.length);
  const groups = new Map<string, string[]>();
  const ungrouped: string[] = [];
  for (const entry of sorted) {
    const first = entry[0] ?? '';
    // Only a plain letter or digit not followed by a quantifier can be factored out.
    if (/^[\p{L}\p{N}]$/u.test(first) && !/^[?*+{]/.test(entry.slice(1))) {
      const group = groups.get(first) ?? [];
      group.push(entry.slice(1));
      groups.set(first, group);
    } else {
      ungrouped.push(entry);
    }
  }
  const branches = [...groups.entries()].map(([first, rests]) =>
    rests.length === 1 ? `${first}${rests[0]}` : `${first}(?:${rests.join('|')})`,
  );
  return `(?:${[...branches, ...ungrouped].join('|')})`;
}

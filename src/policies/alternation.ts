/**
 * Builds `(?:a|b|c)` from word-list entries, grouped by first character:
 * `(?:p(?:ain|ills)|o(?:xy\w*|pioids?))`. A regex engine tries every alternative at every
 * position of the text; grouping lets it reject a position after one character instead of
 * after a hundred alternatives, which matters for long lists like drug names. The language
 * matched is the same: entries keep their order (longest first) within a group, and groups
 * start with different characters.
 */
export function alternation(entries: readonly string[]): string {
  // An entry that is itself an alternation ("rub x|rub y") is one atom: split by its first
  // character it would lose the prefix of every choice after the first.
  const atoms = entries.map((entry) => (hasTopLevelAlternation(entry) ? `(?:${entry})` : entry));
  const sorted = atoms.flatMap(expandLeadingGroup).sort((a, b) => b.length - a.length);
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

/** A leading group of plain-word choices, `(?:drink|drank) bleach`, matched the same as a list of entries. */
const LEADING_GROUP = /^\(\?:([\p{L}\p{N} '’-]+(?:\|[\p{L}\p{N} '’-]+)+)\)(?![?*+{])/u;

/**
 * Expands an entry that starts with a group of plain words into one entry per word, so that each
 * can be grouped by its first character below (an entry starting with "(" cannot be, and every
 * such entry is tried at every position of a post). The language matched is unchanged.
 */
function expandLeadingGroup(entry: string): string[] {
  const m = LEADING_GROUP.exec(entry);
  if (!m) return [entry];
  const rest = entry.slice(m[0].length);
  return (m[1] as string).split('|').flatMap((choice) => expandLeadingGroup(`${choice}${rest}`));
}

/** Whether `|` appears outside every group and character class of a pattern. */
export function hasTopLevelAlternation(pattern: string): boolean {
  return topLevelAlternatives(pattern).length > 1;
}

/** Splits a pattern at the `|` that stand outside every group and character class. */
export function topLevelAlternatives(pattern: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(pattern.slice(start));
  return parts;
}

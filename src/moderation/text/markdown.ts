import { regexMatches } from '../regex-matches.ts';
import { Edits, type Markup } from './mapped-text.ts';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^( {0,3})(#{1,6})(?:[ \t]+|$)/;
const HEADING_CLOSE = /[ \t]+#+[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BULLET = /^([ \t]*)[-*+](?=[ \t])/;
const BACKTICKS = /`+/g;
const ESCAPE = /\\[!-/:-@[-`{-~]/g;
const LINK = /(!?)\[([^[\]\n]*)\]\([^()\s]*(?:[ \t]+"[^"\n]*")?\)/g;
const AUTOLINK = /<(?:https?|mailto):[^<>\s]+>/gi;
const DELIMITER_RUN = /\*+|_+|~+/g;
const WORD_OR_DELIMITER = /[\p{L}\p{N}*_~]/u;
const SPACE = /\s/;

/**
 * Plans the reduction of a Markdown body to its text: link text kept and URLs dropped, images,
 * emphasis and strikethrough markers, inline-code backticks, heading and list markers dropped.
 * Code keeps its text and is marked literal so no later step reads markup inside it.
 */
export function reduceMarkdown(source: string): Markup {
  const edits = new Edits(source);
  const literal = new Uint8Array(source.length);
  markLines(source, edits, literal);
  markCodeSpans(source, edits, literal);
  const usable = (i: number) => literal[i] === 0 && !edits.isDropped(i);
  for (const m of regexMatches(ESCAPE, source)) {
    if (!usable(m.index)) continue;
    edits.drop(m.index, m.index + 1);
    literal[m.index + 1] = 1;
  }
  for (const m of regexMatches(LINK, source)) {
    if (!usable(m.index)) continue;
    const end = m.index + m[0].length;
    if (m[1]) edits.drop(m.index, end);
    else {
      edits.drop(m.index, m.index + 1);
      edits.drop(m.index + 1 + (m[2]?.length ?? 0), end);
    }
  }
  for (const m of regexMatches(AUTOLINK, source)) {
    if (!usable(m.index)) continue;
    edits.drop(m.index, m.index + 1);
    edits.drop(m.index + m[0].length - 1, m.index + m[0].length);
  }
  markEmphasis(source, edits, usable);
  return { edits, quoted: [], literal };
}

function markLines(source: string, edits: Edits, literal: Uint8Array): void {
  let fence = '';
  for (let start = 0; start <= source.length; ) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = source.length;
    // A trailing CR (CRLF line ends) would keep the line patterns from matching.
    const line = source.slice(start, source[end - 1] === '\r' ? end - 1 : end);
    const opener = FENCE.exec(line)?.[1];
    if (fence) {
      if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener) {
        fence = '';
        edits.drop(start, end);
      } else literal.fill(1, start, end);
    } else if (opener && !(opener[0] === '`' && line.slice(line.indexOf(opener) + opener.length).includes('`'))) {
      fence = opener;
      edits.drop(start, end);
    } else markLine(line, start, edits);
    start = end + 1;
  }
}

function markLine(line: string, start: number, edits: Edits): void {
  if (RULE.test(line)) {
    edits.drop(start, start + line.length);
    return;
  }
  const heading = HEADING.exec(line);
  if (heading) {
    const indent = heading[1]?.length ?? 0;
    edits.drop(start + indent, start + heading[0].length);
    const close = HEADING_CLOSE.exec(line);
    if (close && close.index >= heading[0].length) edits.drop(start + close.index, start + line.length);
    return;
  }
  const bullet = BULLET.exec(line);
  if (bullet) {
    const at = start + (bullet[1]?.length ?? 0);
    edits.drop(at, at + 1);
  }
}

// Pairs backtick runs of equal length, as CommonMark does; an unpaired run is plain text.
function markCodeSpans(source: string, edits: Edits, literal: Uint8Array): void {
  const runs: Array<{ at: number; length: number }> = [];
  for (const m of regexMatches(BACKTICKS, source)) {
    if (literal[m.index] === 0 && source[m.index - 1] !== '\\') runs.push({ at: m.index, length: m[0].length });
  }
  // For each run, the next run of the same length, found in one backward pass so that many
  // unmatched runs cannot make the pairing quadratic.
  const nextSame = new Int32Array(runs.length).fill(-1);
  const seen = new Map<number, number>();
  for (let i = runs.length - 1; i >= 0; i--) {
    const length = (runs[i] as { length: number }).length;
    nextSame[i] = seen.get(length) ?? -1;
    seen.set(length, i);
  }
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i] as { at: number; length: number };
    const j = nextSame[i] as number;
    if (j < 0) continue;
    const close = runs[j] as { at: number; length: number };
    edits.drop(open.at, open.at + open.length);
    edits.drop(close.at, close.at + close.length);
    literal.fill(1, open.at, close.at + close.length);
    i = j;
  }
}

// Pairs emphasis delimiter runs (`*`, `**`, `***`, `_`…, `~~`) on one line, each closer with the
// nearest open run of the same kind, in one pass: a regex that searched ahead from every opener
// took seconds on a hostile 64 KB line.
//
// A run opens when not preceded by a letter or digit and closes when not followed by one.
// CommonMark lets '*' emphasise inside a word, but on a forum "st*pid" and "f***" are masked
// words, and "2 * 500mg" is arithmetic; none of them may lose their stars.
function markEmphasis(source: string, edits: Edits, usable: (i: number) => boolean): void {
  const open = new Map<string, number[]>();
  let lineEnd = -1;
  for (const m of regexMatches(DELIMITER_RUN, source)) {
    const at = m.index;
    const run = m[0];
    if (at > lineEnd) {
      open.clear();
      lineEnd = source.indexOf('\n', at);
      if (lineEnd < 0) lineEnd = source.length;
    }
    if (run[0] === '~' ? run.length !== 2 : run.length > 3) continue;
    let free = true;
    for (let k = at; k < at + run.length && free; k++) free = usable(k);
    if (!free) continue;
    const before = source[at - 1];
    const after = source[at + run.length];
    const canOpen =
      (before === undefined || !(WORD_OR_DELIMITER.test(before) || before === '\\')) &&
      after !== undefined &&
      !SPACE.test(after) &&
      !'*_~'.includes(after);
    const canClose =
      before !== undefined && !SPACE.test(before) && !'*_~\\'.includes(before) && (after === undefined || !WORD_OR_DELIMITER.test(after));
    const key = run.charAt(0) + run.length;
    const opener = canClose ? open.get(key)?.pop() : undefined;
    if (opener !== undefined) {
      edits.drop(opener, opener + run.length);
      edits.drop(at, at + run.length);
    } else if (canOpen) {
      const stack = open.get(key);
      if (stack) stack.push(at);
      else open.set(key, [at]);
    }
  }
}

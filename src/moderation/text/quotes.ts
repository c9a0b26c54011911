import { regexMatches } from '../regex-matches.ts';
import type { MappedText } from './mapped-text.ts';

// [quote], [quote="name"], [quote=name] and Discourse's [quote="user, post:1, topic:2"].
const BBCODE_QUOTE = /\[(\/?)quote(?:[= ][^\]\n]*)?\]/gi;

/**
 * Finds quotations in a markup-reduced view: lines whose first non-blank character is '>' and
 * balanced [quote]…[/quote] pairs, merged with those the markup already delimits. Returns
 * sorted, non-overlapping ranges of the original, markers included.
 */
export function findQuotes(view: MappedText, literal: Uint8Array | null, known: Array<[number, number]>): Array<[number, number]> {
  const { text, map } = view;
  // A '>' or [quote] shown inside code is the author's own text, not a quotation.
  const isLiteral = (i: number) => literal !== null && literal[map[i] as number] === 1;
  const ranges = known.slice();

  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let k = start;
    while (k < end && isBlank(text.charCodeAt(k))) k++;
    if (text[k] === '>' && !isLiteral(k)) ranges.push([map[start] as number, map[end] as number]);
    start = end + 1;
  }

  // Every closed pair counts, so the inner pair of an unclosed outer [quote] is still a quote;
  // an unclosed one is not, or one stray tag would exempt the rest of a post from scoring.
  const open: number[] = [];
  for (const m of regexMatches(BBCODE_QUOTE, text)) {
    if (isLiteral(m.index)) continue;
    if (!m[1]) open.push(m.index);
    else {
      const start = open.pop();
      if (start !== undefined) ranges.push([map[start] as number, (map[m.index + m[0].length - 1] as number) + 1]);
    }
  }
  return merge(ranges);
}

/** Replaces every unit of `view` that came from a quoted range with a space, keeping line breaks. */
export function blankQuotes(view: MappedText, quoted: Array<[number, number]>): string {
  if (quoted.length === 0) return view.text;
  const { text, map } = view;
  const out: string[] = [];
  let kept = 0;
  for (const [start, end] of quoted) {
    // The map is non-decreasing, so each range is one run of the view, found by bisection.
    const from = firstAtOrAfter(map, start, kept, text.length);
    const to = firstAtOrAfter(map, end, from, text.length);
    if (to === from) continue;
    out.push(text.slice(kept, from));
    for (let line = from; line < to; ) {
      const newline = text.indexOf('\n', line);
      const lineEnd = newline < 0 || newline >= to ? to : newline;
      out.push(' '.repeat(lineEnd - line));
      if (lineEnd < to) out.push('\n');
      line = lineEnd + 1;
    }
    kept = to;
  }
  out.push(text.slice(kept));
  return out.join('');
}

// The first index in [lo, hi) whose map entry is at least `value`, or hi.
function firstAtOrAfter(map: Int32Array, value: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((map[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0xa0;
}

function merge(ranges: Array<[number, number]>): Array<[number, number]> {
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else if (end > start) merged.push([start, end]);
  }
  return merged;
}

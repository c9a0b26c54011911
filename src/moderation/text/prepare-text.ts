import { reduceHtml } from './html.ts';
import { identity } from './mapped-text.ts';
import { reduceMarkdown } from './markdown.ts';
import { normalizeView } from './normalize.ts';
import { blankQuotes, findQuotes } from './quotes.ts';

/** How a post body is written, as the forum declares it. */
export type TextFormat = 'text' | 'markdown' | 'html';

/** A post body turned into the views the local scorer matches, each mappable back to the original. */
export interface PreparedText {
  original: string;
  /** Markup removed (markdown syntax, HTML tags, entities decoded), QUOTED regions replaced by spaces. Not lower-cased; digits and punctuation kept exactly (phone numbers, emails, doses are matched here). */
  plain: string;
  /** plainMap[i] = index in `original` of plain[i]; length plain.length + 1, the last entry = original.length. */
  plainMap: Int32Array;
  /** The matching view built from `plain`: lower-cased, diacritics folded, invisible characters removed, look-alikes mapped to Latin, leetspeak and masks read back inside words (not in numbers, doses, times or quantities), spaced-out letters joined, runs of 3+ identical letters shortened to 2. Quoted regions stay blanked (spaces). */
  norm: string;
  /** normMap[i] = index in `original` of norm[i]; length norm.length + 1. */
  normMap: Int32Array;
  /** Ranges [start, end) in `original` that are quotations of someone else's words. */
  quoted: Array<[number, number]>;
}

/**
 * Prepares a post body for matching. Pure and deterministic: markup is reduced to text,
 * quotations are found and blanked (someone else's words must not be scored as the author's),
 * and a normalised view undoes the usual ways of disguising words. Every view carries a map to
 * the original, so evidence can always be reported against the body the forum sent.
 */
export function prepareText(body: string, format: TextFormat = 'text', options: { keepQuotes?: boolean } = {}): PreparedText {
  const markup = format === 'html' ? reduceHtml(body) : format === 'markdown' ? reduceMarkdown(body) : null;
  const reduced = markup ? markup.edits.apply() : identity(body);
  const quoted = findQuotes(reduced, markup?.literal ?? null, markup?.quoted ?? []);
  const plain = options.keepQuotes ? reduced.text : blankQuotes(reduced, quoted);
  const norm = normalizeView(body.length, plain, reduced.map);
  return { original: body, plain, plainMap: reduced.map, norm: norm.text, normMap: norm.map, quoted };
}

/** Maps a [start, end) span of a view back to the original: start = map[start], end = map[end - 1] + 1. */
export function toOriginalSpan(map: Int32Array, start: number, end: number): { start: number; end: number } {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end < map.length)) {
    throw new RangeError(`span [${start}, ${end}) is outside a view of length ${map.length - 1}`);
  }
  const from = map[start] as number;
  if (end === start) return { start: from, end: from };
  return { start: from, end: (map[end - 1] as number) + 1 };
}

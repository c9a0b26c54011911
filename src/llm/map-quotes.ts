import type { Evidence } from '../moderation/types.ts';

/**
 * Finds the model's quotes in the post and returns them as evidence spans of the original
 * text. A quote is looked for exactly, then ignoring case and runs of whitespace; one that is
 * not in the post (invented, or paraphrased) is dropped, so evidence always points at what the
 * member wrote.
 */
export function mapQuotes(body: string, quotes: readonly string[]): Evidence[] {
  const spans: Evidence[] = [];
  for (const quote of quotes) {
    const wanted = quote.trim();
    if (wanted.length < 2) continue;
    const span = findExact(body, wanted) ?? findLoose(body, wanted);
    if (span && !spans.some((s) => s.start === span.start && s.end === span.end))
      spans.push({ ...span, text: body.slice(span.start, span.end) });
  }
  return spans.sort((a, b) => a.start - b.start);
}

function findExact(body: string, quote: string): { start: number; end: number } | undefined {
  const at = body.indexOf(quote);
  return at === -1 ? undefined : { start: at, end: at + quote.length };
}

/** Case-insensitive, any whitespace run matching any other: models re-wrap and re-case quotes. */
function findLoose(body: string, quote: string): { start: number; end: number } | undefined {
  const pattern = quote
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  const match = new RegExp(pattern, 'iu').exec(body);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}

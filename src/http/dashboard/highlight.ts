import type { PolicyId } from '../../moderation/types.ts';

export interface Span {
  start: number;
  end: number;
  policy: PolicyId;
}

/** A run of the text and the policies whose evidence covers it; `starts` are spans beginning here. */
export interface Segment {
  text: string;
  policies: PolicyId[];
  starts: PolicyId[];
}

/**
 * Cuts a text at every evidence boundary, so overlapping spans of several policies can each be
 * marked (and labelled where they begin) without nesting marks. Spans out of range, empty or
 * reversed (a purged or edited text) are left out rather than trusted.
 */
export function segmentText(text: string, spans: readonly Span[]): Segment[] {
  const valid = spans.filter(
    (s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= text.length && s.start < s.end,
  );
  const cuts = [...new Set([0, text.length, ...valid.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i] as number;
    const to = cuts[i + 1] as number;
    const covering = valid.filter((s) => s.start <= from && s.end >= to);
    segments.push({
      text: text.slice(from, to),
      policies: [...new Set(covering.map((s) => s.policy))],
      starts: [...new Set(covering.filter((s) => s.start === from).map((s) => s.policy))],
    });
  }
  return segments;
}

import { regexMatches } from '../regex-matches.ts';
/** A sentence of the matching view (`norm`), with what kind of speech act it is. */
export interface Sentence {
  /** [start, end) in the matching view. */
  start: number;
  end: number;
  text: string;
  /** Asks rather than asserts ("is it true that…?", "how many…"). */
  question: boolean;
  /** Tells the reader to do something ("just double it", "you should stop…"). */
  directive: boolean;
  /** Speaks of the author's own experience ("I take…", "my doctor…") without telling others. */
  selfReport: boolean;
  /** Rejects or corrects a claim ("that's a myth", "no evidence", "not a cure"). */
  debunk: boolean;
  /** Softened or personal ("for me", "YMMV", "might", "ask your pharmacist"). */
  hedged: boolean;
  /** Reports someone else's words ("someone told me…", "my aunt keeps forwarding…"). */
  reported: boolean;
  /** Calls out someone else's hostility: quotes or names it to condemn it ("it's not okay to call people…"). */
  counterSpeech: boolean;
  /** Warns against a risky act ("don't mix…", "please don't go cold turkey"). */
  harmReduction: boolean;
  /** Recalls a time that is over ("two years ago I…", "back then") with nothing about now or next. */
  recalled: boolean;
}

// Sentence ends: . ! ? … or a line break, followed by space or the end. Decimal points
// ("0.5 mg") and abbreviations such as "dr." are not ends because a letter or digit follows.
const BOUNDARY = /[.!?…]+(?=\s|$)|\n+/g;

export function splitSentences(norm: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (const m of regexMatches(BOUNDARY, norm)) {
    const end = m.index + m[0].length;
    pushTrimmed(norm, start, end, spans);
    start = end;
  }
  pushTrimmed(norm, start, norm.length, spans);
  return spans;
}

function pushTrimmed(s: string, start: number, end: number, out: Array<{ start: number; end: number }>): void {
  while (start < end && /\s/.test(s[start] ?? '')) start++;
  while (end > start && /\s/.test(s[end - 1] ?? '')) end--;
  // Abbreviations like "dr." end a span too early; glue a span that starts lower-case to the last.
  const prev = out[out.length - 1];
  if (
    end > start &&
    prev &&
    /^(?:dr|mr|mrs|ms|st|vs|approx|e\.g|i\.e)\.$/.test(
      s
        .slice(Math.max(prev.start, prev.end - 6), prev.end)
        .split(/\s/)
        .pop() ?? '',
    )
  ) {
    prev.end = end;
    return;
  }
  if (end > start) out.push({ start, end });
}

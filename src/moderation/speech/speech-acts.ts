import type { SpeechCues } from '../knowledge.ts';
import { type Sentence, splitSentences } from './sentences.ts';

/*
 * Speech acts over the matching view (lower-cased, accents folded). They separate what
 * generic moderation tools conflate: a member's own experience or question versus a
 * directive to others, and a claim versus a claim quoted to debunk it. The cues themselves
 * (English first, with the commonest Spanish, French and German forms) live in
 * policies/_speech.yaml, so the policy set version covers them.
 */

export interface PostSpeech {
  sentences: Sentence[];
  /** The post argues against a claim somewhere; claims it reports or quotes are not its own. */
  debunking: boolean;
}

export function analyseSpeech(norm: string, cues: SpeechCues): PostSpeech {
  const sentences = splitSentences(norm).map(({ start, end }) => classify(norm.slice(start, end), cues, start, end));
  // A story set in the past goes on in the past tense: its next sentences, in the same paragraph,
  // are recalled too until one speaks of now or next.
  for (let i = 1; i < sentences.length; i++) {
    const s = sentences[i] as Sentence;
    const before = sentences[i - 1] as Sentence;
    const sameParagraph = !norm.slice(before.end, s.start).includes('\n\n');
    if (!s.recalled && before.recalled && sameParagraph && cues.pastTense.test(s.text) && !cues.nowOrNext.test(s.text)) s.recalled = true;
  }
  return { sentences, debunking: sentences.some((s) => s.debunk) };
}

export function classify(text: string, cues: SpeechCues, start = 0, end = text.length): Sentence {
  const body = text.replace(/^[\s"'“”‘’(@\w]*?:\s+/, (m) => (m.length < 25 ? '' : m)).replace(cues.filler, '');
  const question = /\?\s*["')\]]*\s*(?:\p{Extended_Pictographic}\s*)*$/u.test(text) || cues.questionStart.test(body);
  const directive =
    !question && (cues.imperativeVerb.test(body) || imperativeAfterCondition(body, cues) || cues.directiveAnywhere.test(text));
  const selfReport = cues.self.test(text) && !directive && !cues.you.test(text);
  return {
    start,
    end,
    text,
    question,
    directive,
    selfReport,
    debunk: cues.debunk.test(text),
    hedged: cues.hedge.test(text),
    reported: cues.reported.test(text),
    counterSpeech: cues.counterSpeech.test(text),
    harmReduction: cues.harmReduction.test(text),
    recalled: cues.pastTime.test(text) && !cues.nowOrNext.test(text),
  };
}

/**
 * Advice often states its condition first: "If you have a cold, rest", "If someone is choking,
 * having a heart attack, stroke, etc., wait …". The imperative is looked for after each of the
 * condition's first few commas, since a condition can list things.
 */
function imperativeAfterCondition(body: string, cues: SpeechCues): boolean {
  if (!cues.leadingClause.test(body)) return false;
  let rest = body;
  for (let commas = 0; commas < 4; commas++) {
    const comma = rest.indexOf(',');
    if (comma < 0) return false;
    rest = rest.slice(comma + 1).trimStart();
    if (cues.imperativeVerb.test(rest.replace(cues.filler, ''))) return true;
  }
  return false;
}

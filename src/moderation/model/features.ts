import { regexMatches } from '../regex-matches.ts';
import type { Sentence } from '../speech/sentences.ts';

/** A binary feature of a post, with where in the matching view (`norm`) it occurs. */
export interface Feature {
  name: string;
  /** [start, end) of the first occurrence in the matching view, for evidence; -1 when none. */
  start: number;
  end: number;
}

export interface FeatureInput {
  norm: string;
  sentences: Sentence[];
  /** Rule signals that fired, as `policy/signal-id`. */
  firedSignals: string[];
  /** Personal-data detectors that found something. */
  detectors: string[];
  language: string;
  /** Words that carry no harm alone (policies/_stopwords.yaml): no feature of their own, nor a pair of two. */
  stopWords: ReadonlySet<string>;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
/** Most tokens have no digit or curly apostrophe; testing first skips two replace() calls. */
const NEEDS_FOLDING = /[\d’]/;

// Web addresses and @handles name places and people, not harm: a model that learned them would
// learn one forum's regulars or links.
const ADDRESS_OR_HANDLE =
  /\b(?:https?:\/\/|www\.)\S+|(?<![\p{L}\p{N}])@[\p{L}\p{N}_.]+|\b[\p{L}\p{N}-]+\.(?:com|org|net|io|co|uk|de|fr|es)\b\S*/gu;

/**
 * Turns a prepared post into the sparse binary features of the linear model: words and word
 * pairs other than stop words (digits folded, so "300mg" and "600mg" are one feature), words inside directives, the
 * speech acts present, the rule signals that fired and the detectors that found personal data.
 * Deterministic; the same function serves training and scoring, so they cannot drift apart.
 */
export function extractFeatures(input: FeatureInput): Map<string, Feature> {
  const features = new Map<string, Feature>();
  // Only the first occurrence is kept: evidence needs one span, and fewer allocations keep
  // feature extraction cheap on the scorer's hot path.
  const add = (name: string, start = -1, end = -1) => {
    if (!features.has(name)) features.set(name, { name, start, end });
  };
  const stop = input.stopWords;
  for (const s of input.sentences) {
    let previous: { token: string; start: number; stop: boolean } | undefined;
    // Blanked to the same length, so offsets still point into the post.
    const text =
      s.text.includes('@') || s.text.includes('.') || s.text.includes('/')
        ? s.text.replace(ADDRESS_OR_HANDLE, (m) => ' '.repeat(m.length))
        : s.text;
    for (const m of regexMatches(TOKEN, text)) {
      const token = NEEDS_FOLDING.test(m[0]) ? m[0].replace(/\d+/g, '0').replace(/’/g, "'") : m[0];
      const start = s.start + m.index;
      const end = start + m[0].length;
      const isStop = stop.has(token);
      if (!isStop) {
        add(`w:${token}`, start, end);
        if (s.directive) add(`d:${token}`, start, end);
      }
      // A pair keeps a stop word's sense ("you people"), but two stop words ("i just") say nothing.
      if (previous && !(previous.stop && isStop)) add(`b:${previous.token}_${token}`, previous.start, end);
      previous = { token, start, stop: isStop };
    }
    if (s.question) add('f:question');
    if (s.directive) add('f:directive');
    if (s.selfReport) add('f:self-report');
    if (s.debunk) add('f:debunk');
    if (s.hedged) add('f:hedged');
    if (s.reported) add('f:reported');
    if (s.harmReduction) add('f:harm-reduction');
    if (s.recalled) add('f:recalled');
  }
  for (const signal of input.firedSignals) add(`s:${signal}`);
  for (const detector of input.detectors) add(`det:${detector}`);
  add(`lang:${input.language}`);
  add('bias');
  return features;
}

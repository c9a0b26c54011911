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
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
/** Most tokens have no digit or curly apostrophe; testing first skips two replace() calls. */
const NEEDS_FOLDING = /[\d’]/;

// Function words carry no meaning alone and, with little data, a model fits noise to them;
// they still count inside word pairs ("you people", "a bunch").
const FUNCTION_WORDS = new Set(
  'a an the and or but if so of to in on at by for with from as is are was were be been am it its this that these those there here what which who when where how than then too very just also about into over after before again all any some each more most no not do does did have has had i me my we our you your he him his she her they them their'.split(
    ' ',
  ),
);

/**
 * Turns a prepared post into the sparse binary features of the linear model: words and word
 * pairs (digits folded, so "300mg" and "600mg" are one feature), words inside directives, the
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
  for (const s of input.sentences) {
    let previous: { token: string; start: number } | undefined;
    for (const m of regexMatches(TOKEN, s.text)) {
      const token = NEEDS_FOLDING.test(m[0]) ? m[0].replace(/\d+/g, '0').replace(/’/g, "'") : m[0];
      const start = s.start + m.index;
      const end = start + m[0].length;
      if (!FUNCTION_WORDS.has(token)) {
        add(`w:${token}`, start, end);
        if (s.directive) add(`d:${token}`, start, end);
      }
      if (previous) add(`b:${previous.token}_${token}`, previous.start, end);
      previous = { token, start };
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

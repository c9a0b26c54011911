import type { Sentence } from '../speech/sentences.ts';

/** A binary feature of a post, with where in the matching view (`norm`) it occurs. */
export interface Feature {
  name: string;
  /** [start, end) spans in the matching view, for evidence. */
  spans: Array<[number, number]>;
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
  const add = (name: string, span?: [number, number]) => {
    let f = features.get(name);
    if (!f) {
      f = { name, spans: [] };
      features.set(name, f);
    }
    if (span && f.spans.length < 3) f.spans.push(span);
  };
  for (const s of input.sentences) {
    let previous: { token: string; start: number } | undefined;
    for (const m of s.text.matchAll(TOKEN)) {
      const token = m[0].replace(/\d+/g, '0').replace(/’/g, "'");
      const start = s.start + m.index;
      const end = start + m[0].length;
      if (!FUNCTION_WORDS.has(token)) {
        add(`w:${token}`, [start, end]);
        if (s.directive) add(`d:${token}`, [start, end]);
      }
      if (previous) add(`b:${previous.token}_${token}`, [previous.start, end]);
      previous = { token, start };
    }
    if (s.question) add('f:question');
    if (s.directive) add('f:directive');
    if (s.selfReport) add('f:self-report');
    if (s.debunk) add('f:debunk');
    if (s.hedged) add('f:hedged');
    if (s.reported) add('f:reported');
    if (s.harmReduction) add('f:harm-reduction');
  }
  for (const signal of input.firedSignals) add(`s:${signal}`);
  for (const detector of input.detectors) add(`det:${detector}`);
  add(`lang:${input.language}`);
  add('bias');
  return features;
}

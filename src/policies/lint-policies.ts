import { parse } from 'yaml';
import type { PostFormat } from '../evaluation/dataset.ts';
import type { LinearModel } from '../moderation/model/linear-model.ts';
import { prepareText } from '../moderation/text/prepare-text.ts';
import {
  hazardLexiconName,
  isLexiconFile,
  isPolicyFile,
  type Lexicons,
  PolicyFileError,
  type PolicyFiles,
  type PolicySet,
  parseHazards,
  parseLexicons,
} from './loader.ts';
import { patternAlternatives } from './pattern-alternatives.ts';

/** A labelled post, as far as the lint cares: where it came from, and its text. */
export interface LintPost {
  id: string;
  text: string;
  format?: PostFormat;
}

/** Posts from one writer or file: support from a single source is not evidence that a rule generalises. */
export interface LintSource {
  source: string;
  posts: LintPost[];
}

export interface LintPolicy {
  /**
   * The policy file, e.g. `hostility.yaml`. Its own examples are one source named after it,
   * with ids like `flagged.0` and `not_flagged.3` (their place in `examples`).
   */
  file: string;
  /** Signals as written: patterns with `{{lexicon}}` references unexpanded; no pattern for detectors and claims. */
  signals: Array<{ id: string; pattern?: string }>;
  examples: { flagged: string[]; not_flagged: string[] };
}

export interface LintInput {
  policies: LintPolicy[];
  lexicons: Lexicons;
  datasets: LintSource[];
  model?: LinearModel;
  stopWords: ReadonlySet<string>;
}

export interface AlternativeFinding {
  file: string;
  signal: string;
  /** The alternative as written in the file. */
  alternative: string;
  posts: Array<{ source: string; id: string }>;
  sources: string[];
}

export interface StopWordFinding {
  policy: string;
  /** Stop-word features among the policy's heaviest word features, with their rank (1 = heaviest). */
  features: Array<{ feature: string; weight: number; rank: number }>;
}

export interface LintReport {
  /** Alternatives that match exactly one labelled post: written around an example. */
  onePost: AlternativeFinding[];
  /** Alternatives matching two or more posts, all from one source. */
  singleSource: AlternativeFinding[];
  /** Alternatives no labelled post matches (informational). */
  unsupported: AlternativeFinding[];
  stopWords: StopWordFinding[];
  /** Labelled posts matched against, the policies' examples included. */
  posts: number;
  /** Pattern alternatives checked, per policy file. */
  alternatives: Record<string, number>;
}

/** How many of a policy's heaviest word features the stop-word check looks at. */
export const TOP_WORD_FEATURES = 20;
const WORD_FEATURE = /^(?:w|d|b):/;

/**
 * Checks that rules and the model generalise: every pattern alternative should match posts
 * from at least two sources, and no policy's heaviest word features should be stop words.
 * Pure: the caller reads the files.
 */
export function lintPolicies(input: LintInput): LintReport {
  const sources: LintSource[] = [
    ...input.datasets,
    ...input.policies.map((p) => ({
      source: p.file,
      posts: [
        ...p.examples.flagged.map((text, i) => ({ id: `flagged.${i}`, text })),
        ...p.examples.not_flagged.map((text, i) => ({ id: `not_flagged.${i}`, text })),
      ],
    })),
  ];
  const views = sources.flatMap((s) =>
    s.posts.map((p) => ({ source: s.source, id: p.id, norm: prepareText(p.text, p.format ?? 'text').norm })),
  );
  const report: LintReport = {
    onePost: [],
    singleSource: [],
    unsupported: [],
    stopWords: stopWordFindings(input),
    posts: views.length,
    alternatives: {},
  };
  for (const policy of input.policies) {
    report.alternatives[policy.file] = 0;
    policy.signals.forEach((signal, i) => {
      if (signal.pattern === undefined) return;
      for (const alt of alternativesOf(policy.file, i, signal.pattern, input.lexicons)) {
        report.alternatives[policy.file] = (report.alternatives[policy.file] ?? 0) + 1;
        const posts = views.filter((v) => alt.regex.test(v.norm)).map((v) => ({ source: v.source, id: v.id }));
        const finding = {
          file: policy.file,
          signal: signal.id,
          alternative: alt.text,
          posts,
          sources: [...new Set(posts.map((p) => p.source))],
        };
        if (posts.length === 0) report.unsupported.push(finding);
        else if (posts.length === 1) report.onePost.push(finding);
        else if (finding.sources.length === 1) report.singleSource.push(finding);
      }
    });
  }
  return report;
}

function alternativesOf(file: string, index: number, pattern: string, lexicons: Lexicons) {
  const path = `signals.${index}.pattern`;
  try {
    return patternAlternatives(pattern, lexicons).map((a) => {
      try {
        // No `g`: test() keeps no state between posts.
        return { text: a.text, regex: new RegExp(a.source, 'u') };
      } catch (err) {
        throw new PolicyFileError(file, [
          { path, message: `alternative ${JSON.stringify(a.text)} does not compile alone: ${(err as Error).message}` },
        ]);
      }
    });
  } catch (err) {
    if (err instanceof PolicyFileError) throw err;
    throw new PolicyFileError(file, [{ path, message: (err as Error).message }]);
  }
}

/** A word feature names a stop word (`w:i`, `d:just`), or a pair names two (`b:i_just`). */
function isStopWordFeature(feature: string, stopWords: ReadonlySet<string>): boolean {
  const word = feature.slice(2);
  if (feature.startsWith('b:')) return word.split('_').every((w) => stopWords.has(w));
  return stopWords.has(word);
}

function stopWordFindings(input: LintInput): StopWordFinding[] {
  const findings: StopWordFinding[] = [];
  for (const [policy, m] of Object.entries(input.model?.policies ?? {})) {
    const top = Object.entries(m?.weights ?? {})
      .filter(([f, w]) => WORD_FEATURE.test(f) && w > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_WORD_FEATURES);
    const features = top
      .map(([feature, weight], i) => ({ feature, weight, rank: i + 1 }))
      .filter((f) => isStopWordFeature(f.feature, input.stopWords));
    if (features.length > 0) findings.push({ policy, features });
  }
  return findings;
}

/**
 * The lint's view of a validated policy set: patterns as their files write them (the set holds
 * them expanded), the word lists they refer to, the model and the stop words.
 */
export function lintInputOf(files: PolicyFiles, set: PolicySet, datasets: LintSource[]): LintInput {
  const lexicons: Lexicons = {};
  for (const [file, raw] of files) {
    if (isLexiconFile(file)) Object.assign(lexicons, parseLexicons(file, raw));
    if (file.startsWith('knowledge/')) lexicons[hazardLexiconName(file)] = parseHazards(file, raw).flatMap((e) => e.terms);
  }
  const policies: LintPolicy[] = [];
  for (const [file, raw] of files) {
    if (!isPolicyFile(file)) continue;
    const policy = set.policies.find((p) => `${p.id}.yaml` === file || `${p.id}.yml` === file);
    if (!policy) throw new PolicyFileError(file, ['not in the policy set']);
    const written = (parse(raw) as { signals: Array<{ pattern?: unknown }> }).signals;
    policies.push({
      file,
      signals: policy.signals.map((s, i) => ({ id: s.id, pattern: s.pattern === undefined ? undefined : String(written[i]?.pattern) })),
      examples: policy.examples,
    });
  }
  return { policies, lexicons, datasets, model: set.model, stopWords: set.knowledge.stopWords };
}

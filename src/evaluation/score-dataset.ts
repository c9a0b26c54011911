import type { LocalScorer } from '../moderation/local-scorer.ts';
import { scorePost } from '../moderation/score-post.ts';
import type { ModerationAction } from '../moderation/types.ts';
import type { PolicySet } from '../policies/loader.ts';
import type { DatasetPost, LabelledPost } from './dataset.ts';
import { type EvaluationReport, evaluate, type LabelledResult, type PolicyOutcome } from './metrics.ts';

/** One post's verdict as `hearth score` prints it, plus how long scoring took. */
export interface PostScore {
  id: string;
  action: ModerationAction;
  urgent: boolean;
  /** Detected language (en, es, fr, de, or und). */
  language: string;
  policies: PolicyOutcome[];
  /** Wall-clock time to score and decide this post, in milliseconds. */
  ms: number;
}

/** Scores one dataset post with the same code path the moderation worker uses. */
export function scoreDatasetPost(policySet: PolicySet, scorer: LocalScorer, post: DatasetPost): PostScore {
  const started = performance.now();
  const scored = scorePost(policySet, scorer, { body: post.text, format: post.format });
  const ms = performance.now() - started;
  return {
    id: post.id,
    action: scored.verdict.action,
    urgent: scored.verdict.urgent,
    language: scored.language,
    // Only the documented fields: the output is a contract for scripts, whatever the scorer adds.
    policies: scored.verdict.policies.map(({ policy, score, flagged, evidence, rationale, strength, claim }) => ({
      policy,
      score,
      flagged,
      evidence: evidence.map(({ start, end, text }) => ({ start, end, text })),
      rationale,
      strength: strength ?? 'rule',
      ...(claim ? { claim } : {}),
    })),
    ms,
  };
}

const warmUpPosts = 50;

/** Scores every labelled post, keeping each result beside its labels (for curves, sweeps and diffs). */
export function scoreLabelledPosts(
  policySet: PolicySet,
  scorer: LocalScorer,
  posts: readonly LabelledPost[],
  onPost: () => void = () => {},
): LabelledResult[] {
  // An untimed warm-up: V8 compiles each regex on first use and again when it gets hot, one-off
  // costs a long-running worker never pays per post, but which would dominate a small set's mean.
  for (const post of posts.slice(0, warmUpPosts)) scoreDatasetPost(policySet, scorer, post);
  return posts.map((post) => {
    const result = { ...scoreDatasetPost(policySet, scorer, post), text: post.text, labels: post.labels };
    onPost();
    return result;
  });
}

/** Scores every labelled post and computes the evaluation report (`hearth eval`, in-process). */
export function evaluateDataset(policySet: PolicySet, scorer: LocalScorer, posts: readonly LabelledPost[]): EvaluationReport {
  return evaluate(scoreLabelledPosts(policySet, scorer, posts));
}

import { type Evidence, type ModerationAction, type PolicyId, type PolicyResult, policyIds } from '../moderation/types.ts';

/** The part of a policy result evaluation (and `hearth score`'s output) relies on. */
export type PolicyOutcome = Pick<PolicyResult, 'policy' | 'score' | 'flagged' | 'evidence' | 'rationale' | 'strength' | 'claim'>;

/** A labelled post next to what the scorer made of it. */
export interface LabelledResult {
  id: string;
  text: string;
  labels: readonly PolicyId[];
  action: ModerationAction;
  urgent: boolean;
  policies: readonly PolicyOutcome[];
  /** Time spent scoring this post, in milliseconds. */
  ms: number;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  /** True negatives: neither labelled nor flagged; with the others, the confusion matrix. */
  tn?: number;
}

export interface PolicyMetrics extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export interface Misclassification {
  id: string;
  policy: PolicyId;
  /** `false_negative`: labelled but not flagged; `false_positive`: flagged but not labelled. */
  kind: 'false_negative' | 'false_positive';
  excerpt: string;
  labels: PolicyId[];
  score: number;
  rationale: string;
  evidence: Evidence[];
}

export interface EvaluationReport {
  posts: number;
  policies: Record<PolicyId, PolicyMetrics>;
  /** Unweighted mean of the five policies' F1, so a rare policy counts as much as a common one. */
  macro_f1: number;
  /**
   * The policies with at least one labelled post, and the mean F1 over them alone. On a set
   * that labels only some policies (a toxicity corpus labels hostility) the five-policy
   * average mostly counts the zeros of policies it cannot measure; this one does not.
   */
  labelled_policies: PolicyId[];
  labelled_macro_f1: number;
  clean_posts: number;
  clean_flagged: number;
  /** Share of clean posts (no labels) with any policy flagged: the cost paid by members who did nothing wrong. */
  clean_flagged_rate: number;
  /** Posts labelled `self_harm`: how many were marked urgent, and how many removed (which must never happen). */
  crisis: { posts: number; urgent: number; removed: number };
  time_per_post_ms: { mean: number; p95: number };
  misclassified: Misclassification[];
}

/**
 * Precision, recall and F1 from counts. A ratio whose denominator is zero is 0 (as scikit-learn
 * does by default, and as the external cross-check script does), so a policy that never fires,
 * or has no positives in the set, scores 0 rather than disappearing from the macro average.
 */
export function policyMetrics({ tp, fp, fn, tn }: Counts): PolicyMetrics {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn, ...(tn === undefined ? {} : { tn }) };
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

/** Computes every figure `hearth eval` reports. Pure: the same results always give the same report. */
export function evaluate(results: readonly LabelledResult[]): EvaluationReport {
  const counts = Object.fromEntries(policyIds.map((id) => [id, { tp: 0, fp: 0, fn: 0, tn: 0 }])) as Record<PolicyId, Required<Counts>>;
  const missed: Misclassification[] = [];
  let cleanPosts = 0;
  let cleanFlagged = 0;
  const crisis = { posts: 0, urgent: 0, removed: 0 };

  for (const result of results) {
    const flagged = new Set(result.policies.filter((p) => p.flagged).map((p) => p.policy));
    for (const policy of policyIds) {
      const labelled = result.labels.includes(policy);
      const fired = flagged.has(policy);
      const c = counts[policy];
      if (labelled && fired) c.tp++;
      else if (fired) c.fp++;
      else if (labelled) c.fn++;
      else c.tn++;
      if (labelled !== fired) missed.push(misclassification(result, policy, labelled ? 'false_negative' : 'false_positive'));
    }
    if (result.labels.length === 0) {
      cleanPosts++;
      if (flagged.size > 0) cleanFlagged++;
    }
    if (result.labels.includes('self_harm')) {
      crisis.posts++;
      if (result.urgent) crisis.urgent++;
      if (result.action === 'remove') crisis.removed++;
    }
  }

  const policies = Object.fromEntries(policyIds.map((id) => [id, policyMetrics(counts[id])])) as Record<PolicyId, PolicyMetrics>;
  const labelledPolicies = policyIds.filter((id) => counts[id].tp + counts[id].fn > 0);
  const times = results.map((r) => r.ms);
  const rank = (m: Misclassification) => policyIds.indexOf(m.policy) * 2 + (m.kind === 'false_negative' ? 0 : 1);
  return {
    posts: results.length,
    policies,
    macro_f1: policyIds.reduce((sum, id) => sum + policies[id].f1, 0) / policyIds.length,
    labelled_policies: labelledPolicies,
    labelled_macro_f1:
      labelledPolicies.length === 0 ? 0 : labelledPolicies.reduce((sum, id) => sum + policies[id].f1, 0) / labelledPolicies.length,
    clean_posts: cleanPosts,
    clean_flagged: cleanFlagged,
    clean_flagged_rate: cleanPosts === 0 ? 0 : cleanFlagged / cleanPosts,
    crisis,
    // Microseconds are the most a per-post timer can honestly tell.
    time_per_post_ms: {
      mean: toMicros(times.length === 0 ? 0 : times.reduce((a, b) => a + b, 0) / times.length),
      p95: toMicros(percentile(times, 95)),
    },
    // Stable sort: within one policy and kind, posts stay in dataset order.
    misclassified: missed.sort((a, b) => rank(a) - rank(b)),
  };
}

function toMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function misclassification(result: LabelledResult, policy: PolicyId, kind: Misclassification['kind']): Misclassification {
  const scored = result.policies.find((p) => p.policy === policy);
  return {
    id: result.id,
    policy,
    kind,
    excerpt: excerpt(result.text),
    labels: [...result.labels],
    score: scored?.score ?? 0,
    rationale: scored?.rationale ?? 'not scored',
    evidence: scored?.evidence ?? [],
  };
}

/** The start of a post on one line, cut at `max` characters. */
export function excerpt(text: string, max = 70): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

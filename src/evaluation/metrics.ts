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
  /** Clean posts whose verdict was `remove`: a member silenced for nothing. */
  clean_removed: number;
  clean_removed_rate: number;
  /** Clean posts raised as urgent crises: a moderator paged for nothing. */
  clean_urgent: number;
  clean_urgent_rate: number;
  /** Posts labelled `self_harm`: how many were marked urgent, and how many removed (which must never happen). */
  crisis: { posts: number; urgent: number; removed: number };
  /** What share of a moderator's queue would be right where harm is rare. */
  queue: QueueReport;
  time_per_post_ms: { mean: number; p95: number };
  misclassified: Misclassification[];
}

/** A forum's share of harmful posts assumed when none is given: harm is rare in support groups. */
export const defaultPrevalence = 0.02;

/** Queue precision of one policy, or of all of them together, at the report's prevalence. */
export interface QueueFigures {
  /** Labelled rows found (TPR); null with no labelled rows. */
  recall: number | null;
  /** Clean rows (labels []) flagged: for one policy, flagged for that policy. */
  clean_flagged: number;
  /** clean_flagged / clean rows (FPR); null with no clean rows. */
  clean_flagged_rate: number | null;
  /** Share of flags that would be right at the prevalence; null when undefined. */
  precision: number | null;
}

export interface QueueReport {
  prevalence: number;
  policies: Record<PolicyId, QueueFigures>;
  /**
   * Any harm: a labelled row counts as found when flagged for one of its own labels (flagged
   * only for a policy it does not break, it is missed), a clean row as flagged when flagged for
   * anything.
   */
  overall: QueueFigures;
}

/**
 * Share of a moderator's queue that is right when a share `prevalence` (p) of posts is harmful:
 * p·TPR / (p·TPR + (1−p)·FPR), with TPR the recall and FPR the share of clean posts flagged.
 * Precision measured on a labelled set reflects that set's mix (often half harmful); a forum's
 * mix is nearer 1–2%, where the same FPR fills the queue with clean posts. Null when a rate is
 * unmeasured (null) or nothing would be flagged at all (0/0).
 */
export function queuePrecision(prevalence: number, tpr: number | null, fpr: number | null): number | null {
  if (tpr === null || fpr === null) return null;
  const right = prevalence * tpr;
  const wrong = (1 - prevalence) * fpr;
  return right + wrong === 0 ? null : right / (right + wrong);
}

function queueFigures(prevalence: number, found: number, labelled: number, cleanFlagged: number, clean: number): QueueFigures {
  const recall = labelled === 0 ? null : found / labelled;
  const rate = clean === 0 ? null : cleanFlagged / clean;
  return { recall, clean_flagged: cleanFlagged, clean_flagged_rate: rate, precision: queuePrecision(prevalence, recall, rate) };
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
export function evaluate(results: readonly LabelledResult[], options: { prevalence?: number } = {}): EvaluationReport {
  const prevalence = options.prevalence ?? defaultPrevalence;
  const counts = Object.fromEntries(policyIds.map((id) => [id, { tp: 0, fp: 0, fn: 0, tn: 0 }])) as Record<PolicyId, Required<Counts>>;
  const missed: Misclassification[] = [];
  let cleanPosts = 0;
  let cleanFlagged = 0;
  let cleanRemoved = 0;
  let cleanUrgent = 0;
  const cleanFlaggedFor = Object.fromEntries(policyIds.map((id) => [id, 0])) as Record<PolicyId, number>;
  let harmful = 0;
  let harmfulFound = 0;
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
      for (const policy of flagged) cleanFlaggedFor[policy]++;
      if (result.action === 'remove') cleanRemoved++;
      if (result.urgent) cleanUrgent++;
    } else {
      harmful++;
      if (result.labels.some((label) => flagged.has(label))) harmfulFound++;
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
    clean_removed: cleanRemoved,
    clean_removed_rate: cleanPosts === 0 ? 0 : cleanRemoved / cleanPosts,
    clean_urgent: cleanUrgent,
    clean_urgent_rate: cleanPosts === 0 ? 0 : cleanUrgent / cleanPosts,
    crisis,
    queue: {
      prevalence,
      policies: Object.fromEntries(
        policyIds.map((id) => {
          const c = counts[id];
          return [id, queueFigures(prevalence, c.tp, c.tp + c.fn, cleanFlaggedFor[id], cleanPosts)];
        }),
      ) as Record<PolicyId, QueueFigures>,
      overall: queueFigures(prevalence, harmfulFound, harmful, cleanFlagged, cleanPosts),
    },
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

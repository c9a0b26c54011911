import type { PolicyId } from '../moderation/types.ts';
import { defaultPrevalence, type LabelledResult, policyMetrics, queuePrecision } from './metrics.ts';

export interface SweepRow {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  /** Share of all posts flagged at this threshold. */
  flagged_rate: number;
  /** Clean posts (labels []) flagged at this threshold. */
  clean_flagged: number;
  /** Share of flags that would be right at the sweep's prevalence (see `queuePrecision`); null when undefined. */
  queue_precision: number | null;
}

/** Thresholds 0.05, 0.10, … 0.95 by default: fine enough to choose by, short enough to read. */
export function thresholdSteps(step = 0.05): number[] {
  const out: number[] = [];
  for (let t = step; t < 1 - 1e-9; t += step) out.push(Math.round(t * 1000) / 1000);
  return out;
}

/**
 * Precision and recall of one policy if it flagged at each threshold (score ≥ threshold), from
 * scores already computed: moving `flag_at` needs no re-scoring.
 */
export function sweep(
  results: readonly LabelledResult[],
  policy: PolicyId,
  thresholds: readonly number[] = thresholdSteps(),
  prevalence = defaultPrevalence,
): SweepRow[] {
  const points = results.map((r) => ({
    score: r.policies.find((p) => p.policy === policy)?.score ?? 0,
    positive: r.labels.includes(policy),
    clean: r.labels.length === 0,
  }));
  const cleanPosts = points.filter((p) => p.clean).length;
  return thresholds.map((threshold) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let cleanFlagged = 0;
    for (const { score, positive, clean } of points) {
      const flagged = score >= threshold;
      if (flagged && positive) tp++;
      else if (flagged) fp++;
      else if (positive) fn++;
      if (flagged && clean) cleanFlagged++;
    }
    const { precision, recall, f1 } = policyMetrics({ tp, fp, fn });
    return {
      threshold,
      precision,
      recall,
      f1,
      tp,
      fp,
      fn,
      flagged_rate: points.length === 0 ? 0 : (tp + fp) / points.length,
      clean_flagged: cleanFlagged,
      queue_precision: queuePrecision(prevalence, tp + fn === 0 ? null : recall, cleanPosts === 0 ? null : cleanFlagged / cleanPosts),
    };
  });
}

export interface ThresholdChoice {
  /** The lowest threshold whose precision reaches the target: the most recall at that precision. */
  forPrecision?: SweepRow;
  /** The highest threshold whose recall reaches the target: the most precision at that recall. */
  forRecall?: SweepRow;
  /** The lowest threshold whose queue precision at the sweep's prevalence reaches the target. */
  forQueuePrecision?: SweepRow;
  /** The threshold with the best F1. */
  bestF1?: SweepRow;
}

export function chooseThresholds(
  rows: readonly SweepRow[],
  targets: { precision?: number; recall?: number; queuePrecision?: number },
): ThresholdChoice {
  const withFlags = rows.filter((r) => r.tp + r.fp > 0);
  const { precision, recall, queuePrecision } = targets;
  return {
    forPrecision: precision === undefined ? undefined : withFlags.find((r) => r.precision >= precision),
    forRecall: recall === undefined ? undefined : [...withFlags].reverse().find((r) => r.recall >= recall),
    forQueuePrecision:
      queuePrecision === undefined ? undefined : withFlags.find((r) => r.queue_precision !== null && r.queue_precision >= queuePrecision),
    bestF1: [...withFlags].sort((a, b) => b.f1 - a.f1 || a.threshold - b.threshold)[0],
  };
}

import { describe, expect, it } from 'vitest';
import type { LabelledResult } from '../../../src/evaluation/metrics.ts';
import { chooseThresholds, sweep } from '../../../src/evaluation/sweep.ts';
import { type PolicyId, policyIds } from '../../../src/moderation/types.ts';

/** A post whose hostility score is `score`; every other policy scores 0. */
function scored(id: string, labels: PolicyId[], score: number): LabelledResult {
  return {
    id,
    text: id,
    labels,
    action: 'allow',
    urgent: false,
    ms: 1,
    policies: policyIds.map((policy) => ({
      policy,
      score: policy === 'hostility' ? score : 0,
      flagged: false,
      evidence: [],
      rationale: '',
    })),
  };
}

// Hostile posts score 0.9, 0.7, 0.5, 0.3; clean posts 0.6, 0.4, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1,
// 0.1; one post labelled only misinformation scores 0.8 (a false positive, not clean).
const results = [
  ...[0.9, 0.7, 0.5, 0.3].map((s, i) => scored(`h${i}`, ['hostility'], s)),
  ...[0.6, 0.4, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1].map((s, i) => scored(`c${i}`, [], s)),
  scored('m0', ['misinformation'], 0.8),
];

describe('sweep at a prevalence', () => {
  const rows = sweep(results, 'hostility', [0.25, 0.45, 0.65, 0.85], 0.1);

  it('measures clean posts flagged and queue precision at each threshold, by hand', () => {
    // 0.45: hostile 0.9, 0.7, 0.5 flagged (TPR 3/4); clean 0.6 flagged (FPR 1/10), and m0.
    // 0.1 · 0.75 / (0.1 · 0.75 + 0.9 · 0.1) = 0.075 / 0.165.
    expect(rows[1]).toMatchObject({ threshold: 0.45, tp: 3, fp: 2, clean_flagged: 1 });
    expect(rows[1]?.queue_precision).toBeCloseTo(0.075 / 0.165, 12);
    // 0.25: TPR 4/4, FPR 2/10: 0.1 / (0.1 + 0.18).
    expect(rows[0]?.queue_precision).toBeCloseTo(0.1 / 0.28, 12);
    // 0.65: TPR 2/4, no clean post flagged: every flag in a forum's queue would be right.
    expect(rows[2]).toMatchObject({ clean_flagged: 0, queue_precision: 1 });
    // 0.85: TPR 1/4, FPR 0.
    expect(rows[3]).toMatchObject({ tp: 1, clean_flagged: 0, queue_precision: 1 });
  });

  it('chooses the lowest threshold whose queue precision reaches the target', () => {
    expect(chooseThresholds(rows, { queuePrecision: 0.4 }).forQueuePrecision?.threshold).toBe(0.45);
    expect(chooseThresholds(rows, { queuePrecision: 0.35 }).forQueuePrecision?.threshold).toBe(0.25);
    expect(chooseThresholds(rows, { queuePrecision: 0.5 }).forQueuePrecision?.threshold).toBe(0.65);
    expect(chooseThresholds(rows, {}).forQueuePrecision).toBeUndefined();
  });

  it('has no queue precision where nothing is measured', () => {
    const noClean = sweep(results.slice(0, 4), 'hostility', [0.5]);
    expect(noClean[0]?.queue_precision).toBeNull();
    const nothingFlagged = sweep(results, 'hostility', [0.95]);
    expect(nothingFlagged[0]).toMatchObject({ tp: 0, clean_flagged: 0, queue_precision: null });
    expect(chooseThresholds(nothingFlagged, { queuePrecision: 0.1 }).forQueuePrecision).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { evaluate, excerpt, type LabelledResult, percentile, policyMetrics, queuePrecision } from '../../../src/evaluation/metrics.ts';
import { type ModerationAction, type PolicyId, policyIds } from '../../../src/moderation/types.ts';

/** A scored post: every policy present, those in `flagged` flagged with one piece of evidence. */
function result(
  id: string,
  labels: PolicyId[],
  flagged: PolicyId[],
  extra: { ms?: number; urgent?: boolean; action?: ModerationAction } = {},
): LabelledResult {
  const text = `post ${id} text`;
  return {
    id,
    text,
    labels,
    action: extra.action ?? (flagged.length > 0 ? 'review' : 'allow'),
    urgent: extra.urgent ?? false,
    ms: extra.ms ?? 1,
    policies: policyIds.map((policy) =>
      flagged.includes(policy)
        ? { policy, score: 0.8, flagged: true, evidence: [{ start: 0, end: 4, text: 'post' }], rationale: `${policy} signal` }
        : { policy, score: 0.1, flagged: false, evidence: [], rationale: 'no signal' },
    ),
  };
}

describe('policyMetrics', () => {
  it('computes precision, recall and F1 from counts', () => {
    const m = policyMetrics({ tp: 3, fp: 1, fn: 2 });
    expect(m.precision).toBeCloseTo(0.75, 10);
    expect(m.recall).toBeCloseTo(0.6, 10);
    // 2 · 0.75 · 0.6 / (0.75 + 0.6) = 0.9 / 1.35
    expect(m.f1).toBeCloseTo(2 / 3, 10);
    expect(m).toMatchObject({ tp: 3, fp: 1, fn: 2 });
  });

  it('counts a ratio with a zero denominator as 0', () => {
    expect(policyMetrics({ tp: 0, fp: 0, fn: 0 })).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0 });
    // Fires only wrongly, and nothing to find: precision 0/3, recall 0/0.
    expect(policyMetrics({ tp: 0, fp: 3, fn: 0 })).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    // Never fires, two missed: precision 0/0, recall 0/2.
    expect(policyMetrics({ tp: 0, fp: 0, fn: 2 })).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(policyMetrics({ tp: 4, fp: 0, fn: 0 })).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    expect(percentile([], 95)).toBe(0);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => 100 - i),
        95,
      ),
    ).toBe(95);
    expect(percentile([1, 2, 3], 100)).toBe(3);
  });
});

describe('evaluate', () => {
  const results = [
    result('p1', ['hostility'], ['hostility'], { ms: 1 }), // hostility TP
    result('p2', ['hostility'], [], { ms: 2 }), // hostility FN
    result('p3', [], ['hostility'], { ms: 3 }), // hostility FP, a clean post flagged
    result('p4', ['hostility', 'privacy_leak'], ['hostility'], { ms: 4 }), // hostility TP, privacy FN
    result('p5', [], [], { ms: 5 }), // clean, left alone
    result('p6', ['self_harm'], ['self_harm'], { ms: 6, urgent: true, action: 'hold' }), // self_harm TP
    result('p7', ['self_harm'], [], { ms: 100, action: 'remove' }), // self_harm FN, and removed
  ];
  const report = evaluate(results);

  it('counts each policy and computes its precision, recall and F1 by hand', () => {
    expect(report.posts).toBe(7);
    expect(report.policies.hostility).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 3 });
    expect(report.policies.hostility.precision).toBeCloseTo(2 / 3, 10);
    expect(report.policies.hostility.recall).toBeCloseTo(2 / 3, 10);
    expect(report.policies.hostility.f1).toBeCloseTo(2 / 3, 10);
    expect(report.policies.privacy_leak).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 1, tn: 6 });
    expect(report.policies.self_harm).toMatchObject({ precision: 1, recall: 0.5, tp: 1, fp: 0, fn: 1 });
    expect(report.policies.self_harm.f1).toBeCloseTo(2 / 3, 10);
    expect(report.policies.misinformation).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0, tn: 7 });
    expect(report.policies.unsafe_medical_advice).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0, tn: 7 });
  });

  it('averages F1 over all five policies, absent ones counting 0', () => {
    // (0 + 0 + 2/3 + 0 + 2/3) / 5
    expect(report.macro_f1).toBeCloseTo(4 / 15, 10);
  });

  it('also averages over the policies the set has labelled posts for', () => {
    expect(report.labelled_policies).toEqual(['hostility', 'privacy_leak', 'self_harm']);
    // (2/3 + 0 + 2/3) / 3
    expect(report.labelled_macro_f1).toBeCloseTo(4 / 9, 10);
  });

  it('reports clean posts flagged and what happened to crisis posts', () => {
    expect(report.clean_posts).toBe(2);
    expect(report.clean_flagged).toBe(1);
    expect(report.clean_flagged_rate).toBe(0.5);
    expect(report.crisis).toEqual({ posts: 2, urgent: 1, removed: 1 });
  });

  it('reports mean and p95 time per post', () => {
    expect(report.time_per_post_ms.mean).toBeCloseTo(121 / 7, 3);
    expect(report.time_per_post_ms.p95).toBe(100);
  });

  it('lists misses by policy, false negatives first, with what fired', () => {
    expect(report.misclassified.map((m) => [m.policy, m.kind, m.id])).toEqual([
      ['hostility', 'false_negative', 'p2'],
      ['hostility', 'false_positive', 'p3'],
      ['privacy_leak', 'false_negative', 'p4'],
      ['self_harm', 'false_negative', 'p7'],
    ]);
    const falseAlarm = report.misclassified[1];
    expect(falseAlarm).toEqual({
      id: 'p3',
      policy: 'hostility',
      kind: 'false_positive',
      excerpt: 'post p3 text',
      labels: [],
      score: 0.8,
      rationale: 'hostility signal',
      evidence: [{ start: 0, end: 4, text: 'post' }],
    });
    expect(report.misclassified[2]).toMatchObject({ labels: ['hostility', 'privacy_leak'], score: 0.1, evidence: [] });
  });

  it('reports zeros, not NaN, for an empty set', () => {
    const empty = evaluate([]);
    expect(empty.macro_f1).toBe(0);
    expect(empty.labelled_macro_f1).toBe(0);
    expect(empty.clean_flagged_rate).toBe(0);
    expect(empty.time_per_post_ms).toEqual({ mean: 0, p95: 0 });
    expect(empty.misclassified).toEqual([]);
  });

  it('treats a policy the scorer did not return as not flagged', () => {
    const partial = { ...result('q1', ['misinformation'], []), policies: [] };
    const r = evaluate([partial]);
    expect(r.policies.misinformation).toMatchObject({ tp: 0, fn: 1 });
    expect(r.misclassified[0]).toMatchObject({ id: 'q1', rationale: 'not scored', score: 0 });
  });
});

describe('queuePrecision', () => {
  it('gives the share of a queue that is right at a prevalence, checked by hand', () => {
    // A labelled set: 10 hostile posts, 8 flagged (TPR = 8/10 = 0.8); 50 clean posts, 5
    // flagged (FPR = 5/50 = 0.1). On the set itself precision is 8 / (8 + 5) = 0.615.
    // In a forum where 2% of posts are hostile, per 1,000 posts: 20 hostile, 16 flagged;
    // 980 clean, 98 flagged. Queue precision = 16 / (16 + 98) = 0.1404…
    // The formula: 0.02 · 0.8 / (0.02 · 0.8 + 0.98 · 0.1) = 0.016 / 0.114 = 0.14035…
    expect(queuePrecision(0.02, 0.8, 0.1)).toBeCloseTo(0.016 / 0.114, 12);
    expect(queuePrecision(0.02, 0.8, 0.1)).toBeCloseTo(0.1404, 4);
    // At the set's own mix (10 of 60 hostile) it is the set's precision, 8/13.
    expect(queuePrecision(10 / 60, 0.8, 0.1)).toBeCloseTo(8 / 13, 12);
    // Nothing clean flagged: every flag is right. Nothing found: no flag is.
    expect(queuePrecision(0.02, 0.5, 0)).toBe(1);
    expect(queuePrecision(0.02, 0, 0.1)).toBe(0);
  });

  it('is undefined (null) when a rate is unmeasured or nothing is flagged at all', () => {
    expect(queuePrecision(0.02, 0, 0)).toBeNull();
    expect(queuePrecision(0.02, null, 0.1)).toBeNull();
    expect(queuePrecision(0.02, 0.8, null)).toBeNull();
  });
});

describe('evaluate at a prevalence', () => {
  // Four hostile posts (three flagged, one of them removed), one misinformation post flagged
  // only for hostility, and five clean posts: one flagged for hostility and removed, one raised
  // as urgent with nothing flagged.
  const results = [
    result('h1', ['hostility'], ['hostility'], { action: 'remove' }),
    result('h2', ['hostility'], ['hostility']),
    result('h3', ['hostility'], ['hostility']),
    result('h4', ['hostility'], []),
    result('m1', ['misinformation'], ['hostility']),
    result('c1', [], ['hostility'], { action: 'remove' }),
    result('c2', [], [], { urgent: true }),
    result('c3', [], []),
    result('c4', [], []),
    result('c5', [], []),
  ];

  it('reports clean posts flagged, removed and urgent', () => {
    const report = evaluate(results);
    expect(report).toMatchObject({
      clean_posts: 5,
      clean_flagged: 1,
      clean_flagged_rate: 0.2,
      clean_removed: 1,
      clean_removed_rate: 0.2,
      clean_urgent: 1,
      clean_urgent_rate: 0.2,
    });
  });

  it('computes queue precision per policy from recall and clean posts flagged for it', () => {
    const report = evaluate(results, { prevalence: 0.1 });
    expect(report.queue.prevalence).toBe(0.1);
    // hostility: TPR 3/4, FPR on clean posts 1/5 (m1 is not clean, so it is not in the FPR):
    // 0.1 · 0.75 / (0.1 · 0.75 + 0.9 · 0.2) = 0.075 / 0.255.
    expect(report.queue.policies.hostility).toEqual({
      recall: 0.75,
      clean_flagged: 1,
      clean_flagged_rate: 0.2,
      precision: expect.closeTo(0.075 / 0.255, 12),
    });
    // misinformation: TPR 0/1, nothing clean flagged: 0/0, undefined.
    expect(report.queue.policies.misinformation).toEqual({ recall: 0, clean_flagged: 0, clean_flagged_rate: 0, precision: null });
    // self_harm: no labelled post to measure recall on.
    expect(report.queue.policies.self_harm.recall).toBeNull();
    expect(report.queue.policies.self_harm.precision).toBeNull();
  });

  it('counts a harmful post as found overall only when flagged for one of its own labels', () => {
    const { overall } = evaluate(results, { prevalence: 0.1 }).queue;
    // Found: h1, h2, h3 of five harmful posts (m1 was flagged, but for hostility). FPR 1/5.
    // 0.1 · 0.6 / (0.1 · 0.6 + 0.9 · 0.2) = 0.06 / 0.24 = 0.25.
    expect(overall).toEqual({ recall: 0.6, clean_flagged: 1, clean_flagged_rate: 0.2, precision: expect.closeTo(0.25, 12) });
  });

  it('defaults to a prevalence of 2% and has no rate to report on a set with no clean posts', () => {
    const report = evaluate(results.slice(0, 5));
    expect(report.queue.prevalence).toBe(0.02);
    expect(report.queue.overall).toMatchObject({ clean_flagged_rate: null, precision: null });
    expect(report).toMatchObject({ clean_posts: 0, clean_removed_rate: 0, clean_urgent_rate: 0 });
  });
});

describe('excerpt', () => {
  it('flattens whitespace and cuts long text with an ellipsis', () => {
    expect(excerpt('  one\n\ntwo\tthree ')).toBe('one two three');
    const cut = excerpt('a'.repeat(100), 10);
    expect(cut).toBe(`${'a'.repeat(9)}…`);
    expect(cut).toHaveLength(10);
  });
});

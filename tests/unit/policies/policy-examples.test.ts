import { describe, expect, it } from 'vitest';
import { createLocalScorer } from '../../../src/moderation/local-scorer.ts';
import { loadPolicySet } from '../../../src/policies/loader.ts';

const policySet = await loadPolicySet();
const scorer = createLocalScorer(policySet.policies, policySet.model, policySet.knowledge);

describe.each(policySet.policies.map((p) => [p.id, p] as const))('policy %s classifies its own examples', (id, policy) => {
  it.each(policy.examples.flagged)('flags: %s', (text) => {
    const result = scorer.score(text).policies.find((r) => r.policy === id);
    expect(result?.flagged, `score ${result?.score}`).toBe(true);
    expect(result?.evidence.length).toBeGreaterThan(0);
    for (const e of result?.evidence ?? []) expect(text.slice(e.start, e.end)).toBe(e.text);
  });
  it.each(policy.examples.not_flagged)('does not flag: %s', (text) => {
    const result = scorer.score(text).policies.find((r) => r.policy === id);
    expect(result?.flagged, `score ${result?.score}: ${result?.rationale}`).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/moderation/decide.ts';
import { mergeOverrides, parseForumOverrides } from '../../../src/moderation/overrides.ts';
import type { EvidenceStrength, PolicyResult } from '../../../src/moderation/types.ts';
import { loadPolicySet } from '../../../src/policies/loader.ts';

const { byId } = await loadPolicySet();
const result = (policy: PolicyResult['policy'], score: number, strength: EvidenceStrength = 'strong'): PolicyResult => ({
  policy,
  score,
  flagged: score >= 0.5,
  evidence: score > 0 ? [{ start: 0, end: 4, text: 'text' }] : [],
  rationale: 'r',
  strength,
});

describe('decide', () => {
  it('takes the strictest action of the flagged policies', () => {
    expect(decide(byId, [result('hostility', 0.6), result('privacy_leak', 0.7)]).action).toBe('hold');
    expect(decide(byId, [result('hostility', 0.2)]).action).toBe('allow');
    expect(decide(byId, [result('hostility', 0.99)]).action).toBe('remove');
  });

  it('marks crisis posts urgent and never removes them', () => {
    const v = decide(byId, [result('self_harm', 0.9), result('hostility', 0.99)]);
    expect(v.urgent).toBe(true);
    expect(v.action).toBe('hold');
    expect(decide(byId, [result('self_harm', 0.55)])).toMatchObject({ urgent: true, action: 'review' });
  });

  it('lets each kind of evidence reach only so far: the model review, rules hold, strong evidence remove', () => {
    expect(decide(byId, [result('hostility', 0.99, 'model')]).action).toBe('review');
    expect(decide(byId, [result('hostility', 0.99, 'rule')]).action).toBe('hold');
    expect(decide(byId, [result('hostility', 0.99, 'strong')]).action).toBe('remove');
    // A score just under a band stays below it whatever the evidence.
    expect(decide(byId, [result('hostility', 0.969, 'strong')]).action).toBe('hold');
    expect(decide(byId, [result('hostility', 0.97, 'strong')]).action).toBe('remove');
  });

  it('marks a crisis urgent only on crisis language, never on a score alone', () => {
    expect(decide(byId, [result('self_harm', 0.95, 'model')])).toMatchObject({ urgent: false, action: 'review' });
    expect(decide(byId, [result('self_harm', 0.95, 'rule')])).toMatchObject({ urgent: false, action: 'hold' });
    expect(decide(byId, [result('self_harm', 0.95, 'strong')])).toMatchObject({ urgent: true, action: 'hold' });
  });

  it('holds instead of removing where a forum switched automatic removal off for a policy', () => {
    const noRemoval = decide(byId, [result('hostility', 0.99)], { hostility: { auto_remove: false } });
    expect(noRemoval.action).toBe('hold');
    const otherPolicy = decide(byId, [result('hostility', 0.99)], { privacy_leak: { auto_remove: false } });
    expect(otherPolicy.action).toBe('remove');
  });

  it('applies forum overrides: a policy switched off, a threshold moved', () => {
    const off = decide(byId, [result('hostility', 0.9)], { hostility: { enabled: false } });
    expect(off.action).toBe('allow');
    expect(off.policies[0]).toMatchObject({ flagged: false, evidence: [], rationale: 'switched off for this forum' });
    const stricter = decide(byId, [result('hostility', 0.4)], { hostility: { flag_at: 0.3, thresholds: [{ min: 0.3, action: 'hold' }] } });
    expect(stricter.action).toBe('hold');
    expect(stricter.policies[0]?.evidence).toHaveLength(1);
    const laxer = decide(byId, [result('hostility', 0.6)], { hostility: { flag_at: 0.7 } });
    expect(laxer.action).toBe('allow');
  });

  it('validates and merges overrides', () => {
    expect(() => parseForumOverrides({ hostility: { flag_at: 2 } })).toThrow(/hostility\.flag_at/);
    expect(() => parseForumOverrides({ spam: { enabled: false } })).toThrow();
    expect(() => parseForumOverrides({ hostility: { colour: 'red' } })).toThrow();
    const merged = mergeOverrides({ hostility: { enabled: false } }, { hostility: { flag_at: 0.6 }, self_harm: { flag_at: 0.4 } });
    expect(merged).toEqual({ hostility: { enabled: false, flag_at: 0.6 }, self_harm: { flag_at: 0.4 } });
    expect(mergeOverrides(merged, { hostility: null })).toEqual({ self_harm: { flag_at: 0.4 } });
  });
});

describe('crisis detection under forum overrides', () => {
  it('cannot be switched off, and raising its threshold does not silence urgency', () => {
    expect(() => parseForumOverrides({ self_harm: { enabled: false } })).toThrow(
      /self_harm\.enabled: crisis detection cannot be switched off/,
    );
    const v = decide(byId, [result('self_harm', 0.6)], { self_harm: { flag_at: 0.95 } });
    expect(v.urgent).toBe(true);
    expect(v.action).toBe('review');
  });
});

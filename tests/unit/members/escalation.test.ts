import { describe, expect, it } from 'vitest';
import {
  type AuthorFlag,
  activeEscalations,
  type EscalationRule,
  escalationRulesSchema,
  raiseForStanding,
} from '../../../src/members/escalation.ts';
import type { Verdict } from '../../../src/moderation/types.ts';

const DAY = 86_400_000;
const t0 = new Date('2026-11-01T12:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const rule: EscalationRule = {
  id: 'hostile-2',
  policy: 'hostility',
  flags: 2,
  within_days: 14,
  raise_to: 'review',
  for_days: 7,
  count: 'flagged',
};
const flag = (day: number, extra: Partial<AuthorFlag> = {}): AuthorFlag => ({
  postId: `p-${day}`,
  decisionId: `d-${day}`,
  policy: 'hostility',
  at: at(day),
  review: 'none',
  ...extra,
});
const allow: Verdict = { action: 'allow', urgent: false, policies: [] };

describe('escalation rules', () => {
  it('fire at the flag that reaches the count and expire for_days later without anyone acting', () => {
    const flags = [flag(0), flag(3)];
    expect(activeEscalations([rule], flags.slice(0, 1), at(4))).toEqual([]);
    const [active] = activeEscalations([rule], flags, at(4));
    expect(active).toMatchObject({
      rule_id: 'hostile-2',
      raise_to: 'review',
      since: at(3).toISOString(),
      expires_at: at(10).toISOString(),
    });
    expect(active?.flags.map((f) => f.decision_id)).toEqual(['d-0', 'd-3']);
    expect(activeEscalations([rule], flags, at(9.99))).toHaveLength(1);
    expect(activeEscalations([rule], flags, at(10))).toEqual([]);
  });

  it('need the flags within the window', () => {
    expect(activeEscalations([rule], [flag(0), flag(15)], at(16))).toEqual([]);
    expect(activeEscalations([rule], [flag(0), flag(14)], at(16))).toHaveLength(1);
  });

  it('never count an overridden flag, and count only confirmed ones when the rule says so', () => {
    expect(activeEscalations([rule], [flag(0), flag(1, { review: 'overridden' })], at(2))).toEqual([]);
    const confirmed = { ...rule, count: 'confirmed' as const };
    expect(activeEscalations([confirmed], [flag(0), flag(1)], at(2))).toEqual([]);
    expect(activeEscalations([confirmed], [flag(0, { review: 'confirmed' }), flag(1, { review: 'confirmed' })], at(2))).toHaveLength(1);
  });

  it("count only the rule's policy, and ignore flags after now", () => {
    expect(activeEscalations([rule], [flag(0), flag(1, { policy: 'misinformation' })], at(2))).toEqual([]);
    expect(activeEscalations([rule], [flag(0), flag(3)], at(2))).toEqual([]);
  });

  it('raise a verdict to the strictest rule in force, never lower it, and say which rule', () => {
    const active = activeEscalations([rule, { ...rule, id: 'hostile-3', flags: 3, raise_to: 'hold' }], [flag(0), flag(1), flag(2)], at(3));
    const raised = raiseForStanding(allow, active);
    expect(raised.verdict.action).toBe('hold');
    expect(raised.escalation).toMatchObject({ rule_id: 'hostile-3', previous_action: 'allow', applied: true });
    const held = raiseForStanding({ ...allow, action: 'remove' }, active);
    expect(held.verdict.action).toBe('remove');
    expect(held.escalation).toMatchObject({ applied: false, previous_action: 'remove' });
    expect(raiseForStanding(allow, [])).toEqual({ verdict: allow, escalation: null });
  });

  it('refuse rules that would count a crisis, remove a post, or repeat an id, naming the field', () => {
    const bad = escalationRulesSchema.safeParse([
      { ...rule, policy: 'self_harm' },
      { ...rule, raise_to: 'remove' },
      { ...rule, flags: 0 },
    ]);
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['0.policy', '1.raise_to', '2.flags']));
    expect(bad.error?.issues.find((i) => i.path.join('.') === '0.policy')?.message).toMatch(/crisis/);
    expect(escalationRulesSchema.safeParse([rule, rule]).error?.issues[0]?.message).toMatch(/used twice/);
  });
});

import type { Policy } from '../policies/schema.ts';
import type { ForumOverrides } from './overrides.ts';
import { actionOrder, type ModerationAction, type PolicyResult, type Verdict } from './types.ts';

const rank = (a: ModerationAction) => actionOrder.indexOf(a);
const max = (a: ModerationAction, b: ModerationAction) => (rank(a) >= rank(b) ? a : b);

/**
 * Turns per-policy results into one action, applying the forum's overrides. The strictest
 * action reached wins, except that a crisis signal is never removed automatically: a member
 * in crisis must reach a human, so the post is held at most and marked urgent.
 */
export function decide(policies: Map<string, Policy>, results: PolicyResult[], overrides: ForumOverrides = {}): Verdict {
  let action: ModerationAction = 'allow';
  let urgent = false;
  const effective: PolicyResult[] = [];
  for (const result of results) {
    const policy = policies.get(result.policy);
    const override = overrides[result.policy];
    if (!policy) continue;
    // Crisis urgency follows the policy file, whatever a forum changed: a forum may add
    // sensitivity through its overrides, never remove it.
    if (policy.id === 'self_harm' && result.score >= policy.flag_at) urgent = true;
    if (override?.enabled === false) {
      effective.push({ ...result, flagged: false, evidence: [], rationale: 'switched off for this forum' });
      continue;
    }
    const flagged = result.score >= (override?.flag_at ?? policy.flag_at);
    effective.push({ ...result, flagged, evidence: flagged ? result.evidence : [] });
    if (!flagged) continue;
    action = max(action, actionFor(override?.thresholds ?? policy.thresholds, result.score));
    if (policy.id === 'self_harm') urgent = true;
  }
  if (urgent && action === 'remove') action = 'hold';
  if (urgent && action === 'allow') action = 'review';
  return { action, urgent, policies: effective };
}

function actionFor(thresholds: Policy['thresholds'], score: number): ModerationAction {
  let action: ModerationAction = 'review';
  for (const t of thresholds) if (score >= t.min) action = max(action, t.action);
  return action;
}

import type { Policy } from '../policies/schema.ts';
import { actionOrder, type ModerationAction, type PolicyResult, type Verdict } from './types.ts';

const rank = (a: ModerationAction) => actionOrder.indexOf(a);
const max = (a: ModerationAction, b: ModerationAction) => (rank(a) >= rank(b) ? a : b);

/**
 * Turns per-policy results into one action. The strictest action reached wins, except that a
 * crisis signal is never removed automatically: a member in crisis must reach a human, so the
 * post is held at most and marked urgent.
 */
export function decide(policies: Map<string, Policy>, results: PolicyResult[]): Verdict {
  let action: ModerationAction = 'allow';
  let urgent = false;
  for (const result of results) {
    if (!result.flagged) continue;
    const policy = policies.get(result.policy);
    if (!policy) continue;
    action = max(action, actionFor(policy, result.score));
    if (policy.id === 'self_harm') urgent = true;
  }
  if (urgent && action === 'remove') action = 'hold';
  if (urgent && action === 'allow') action = 'review';
  return { action, urgent, policies: results };
}

function actionFor(policy: Policy, score: number): ModerationAction {
  let action: ModerationAction = 'review';
  for (const t of policy.thresholds) if (score >= t.min) action = max(action, t.action);
  return action;
}

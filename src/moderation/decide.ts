import type { Policy } from '../policies/schema.ts';
import type { ForumOverrides } from './overrides.ts';
import { actionOrder, type EvidenceStrength, type ModerationAction, type PolicyResult, type Verdict } from './types.ts';

const rank = (a: ModerationAction) => actionOrder.indexOf(a);
const max = (a: ModerationAction, b: ModerationAction) => (rank(a) >= rank(b) ? a : b);
const min = (a: ModerationAction, b: ModerationAction) => (rank(a) <= rank(b) ? a : b);

/**
 * The strictest action each kind of evidence can reach. A model's word weights alone can only
 * ask a moderator to look; rule patterns can hide a post until one does; removing it needs
 * strong evidence of the policy's own kind, a moderator would read as the harm itself.
 */
const ceiling: Record<EvidenceStrength, ModerationAction> = { none: 'review', model: 'review', rule: 'hold', strong: 'remove' };

/**
 * Turns per-policy results into one action, applying the forum's overrides. The strictest
 * action reached wins, capped by what each policy's evidence can carry (see `ceiling`) and by a
 * forum that switched automatic removal off. A crisis is marked urgent only on crisis language
 * (strong self_harm evidence), never on a score alone; it is never removed automatically: a
 * member in crisis must reach a human, so the post is held at most.
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
    const strength = result.strength ?? 'rule';
    if (policy.id === 'self_harm' && result.score >= policy.flag_at && strength === 'strong') urgent = true;
    if (override?.enabled === false) {
      effective.push({ ...result, flagged: false, evidence: [], rationale: 'switched off for this forum' });
      continue;
    }
    const flagged = result.score >= (override?.flag_at ?? policy.flag_at);
    effective.push({ ...result, flagged, evidence: flagged ? result.evidence : [] });
    if (!flagged) continue;
    let reached = min(actionFor(override?.thresholds ?? policy.thresholds, result.score), ceiling[strength]);
    if (override?.auto_remove === false) reached = min(reached, 'hold');
    action = max(action, reached);
    if (policy.id === 'self_harm' && strength === 'strong') urgent = true;
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

import type { EscalationRecord } from './escalation.ts';

/** What the audit chain keeps of an escalation: ids and times only, never an author id or text. */
export function escalationAudit(e: EscalationRecord) {
  return {
    rule_id: e.rule_id,
    policy: e.policy,
    raise_to: e.raise_to,
    previous_action: e.previous_action,
    applied: e.applied,
    flag_decision_ids: e.flags.map((f) => f.decision_id),
    since: e.since,
    expires_at: e.expires_at,
  };
}

import type { EscalationRecord } from './escalation.ts';
import type { DecisionRemedy } from './remedy.ts';

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

/** What the audit chain keeps of a decision's remedy: the masked spans' kinds and offsets, never text. */
export function remedyAudit(r: DecisionRemedy) {
  return {
    ...(r.redactions?.length ? { redactions: r.redactions.map(({ start, end, kind }) => ({ start, end, kind })) } : {}),
    ...(r.author_message ? { author_message_language: r.author_message.language } : {}),
    ...(r.suggested_reply ? { suggested_reply_language: r.suggested_reply.language } : {}),
  };
}

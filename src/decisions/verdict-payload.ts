import type { Decision } from '../db/schema/index.ts';
import type { SuggestedReply } from '../members/crisis-support.ts';
import type { EscalationRecord } from '../members/escalation.ts';
import type { Redaction } from '../members/remedy.ts';
import type { ModerationAction, PolicyResult } from '../moderation/types.ts';

/** The verdict as forums see it: in callbacks, in `?wait` answers and from the verdict route. */
export interface VerdictData {
  forum_id: string;
  post_id: string;
  revision: number;
  decision_id: string;
  action: ModerationAction;
  urgent: boolean;
  policies: PolicyResult[];
  policy_set_version: string;
  decided_at: string;
  /** Detected language of the post (en, es, fr, de, …, or und). */
  language: string | null;
  /** The escalation rule in force for the author, and whether it raised the action; null when none. */
  escalation: EscalationRecord | null;
  /** The post with someone else's personal data masked, when the action is `redact`; else null. */
  redacted_body: string | null;
  /** The spans masked in `redacted_body`, as offsets into the body the forum sent. */
  redactions: Redaction[];
  /** For an urgent verdict: a reply the forum can show the member, from its crisis resources, in the post's language. */
  suggested_reply: SuggestedReply | null;
  /** For every non-allow verdict: one or two plain sentences the forum can show the author, in the post's language. */
  author_message: { language: string; text: string } | null;
}

export function verdictData(d: Decision): VerdictData {
  return {
    forum_id: d.forumId,
    post_id: d.postId,
    revision: d.revision,
    decision_id: d.id,
    action: d.action,
    urgent: d.urgent,
    policies: d.policies,
    policy_set_version: d.policySetVersion,
    decided_at: d.decidedAt.toISOString(),
    language: d.language,
    escalation: d.escalation ?? null,
    redacted_body: d.remedy?.redacted_body ?? null,
    redactions: d.remedy?.redactions ?? [],
    suggested_reply: d.remedy?.suggested_reply ?? null,
    author_message: d.remedy?.author_message ?? null,
  };
}

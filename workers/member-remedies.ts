import type { AppContext } from '../src/context.ts';
import type { Decision } from '../src/db/schema/index.ts';
import type { DecisionInput } from '../src/decisions/record-decision.ts';
import { JOB_DELIVER } from '../src/jobs/payloads.ts';
import { authorMessage } from '../src/members/author-message.ts';
import { applyAuthorStanding } from '../src/members/author-standing.ts';
import { suggestedReply } from '../src/members/crisis-support.ts';
import { remediesOf } from '../src/members/forum-remedies.ts';
import { findRedactions, redactVerdict } from '../src/members/redaction.ts';
import type { DecisionRemedy } from '../src/members/remedy.ts';
import { canRaiseTension, checkThread } from '../src/members/thread-alerts.ts';
import { ensureUrgentAlert } from '../src/members/urgent-alert.ts';

// The member remedies' two touch points with the decision path, kept apart from storing it.
// Both read the forum's settings from the 30-second forum cache, so a forum without them
// costs no query.

/**
 * Before storing, for the moderate and the LLM workers alike: a post whose only problem is
 * someone else's personal data becomes `redact` with the masked body, when the forum chose
 * it; then escalation rules in force for the author raise the action (never lower it), so a
 * disruptive member's redactable post can still be held. Then what the forum can show people:
 * the reply to a member in crisis, and the explanation for the author.
 */
export async function withMemberRemedies(ctx: AppContext, input: DecisionInput): Promise<DecisionInput> {
  const forum = await ctx.forums.get(input.job.forumId);
  const remedies = remediesOf(forum?.remedies);
  const redacted = redactVerdict(input.verdict, input.job.post, remedies.redaction, input.language);
  const { verdict, escalation } = await applyAuthorStanding(ctx.database.db, remedies, {
    forumId: input.job.forumId,
    authorId: input.job.post.author.id,
    postId: input.job.post.id,
    verdict: redacted?.verdict ?? input.verdict,
  });
  const remedy: DecisionRemedy = {
    // The masked body is only for a post the forum may publish: a rule that raised it to hold keeps it hidden.
    ...(redacted && verdict.action === 'redact' ? redacted.remedy : {}),
    // A member in crisis: a reply the forum can show at once, from its own crisis resources.
    ...(verdict.urgent ? { suggested_reply: suggestedReply(input.language, remedies.crisis) } : {}),
  };
  // Every non-allow verdict explains itself to the author, naming only the kind of problem.
  const message = authorMessage(verdict, input.language, remedy.redactions?.map((r) => r.kind) ?? leakedKinds(input));
  if (message) remedy.author_message = message;
  const changed = escalation || redacted || Object.keys(remedy).length > 0;
  if (!changed) return input;
  return { ...input, verdict, ...(escalation ? { escalation } : {}), ...(Object.keys(remedy).length > 0 ? { remedy } : {}) };
}

/** The kinds of someone else's data under a privacy flag (phone, address…), to name in the author's message. */
function leakedKinds(input: DecisionInput) {
  const privacy = input.verdict.policies.find((p) => p.policy === 'privacy_leak' && p.flagged);
  return privacy ? findRedactions(input.job.post.body, input.job.post.format, privacy.evidence, input.language).map((r) => r.kind) : [];
}

/**
 * After storing and before its callbacks are queued, on retries too (it is idempotent), so a
 * job that died after storing still sends it: an urgent decision's `alert.urgent` callback goes
 * first, on the crisis lane's deliver queue, ahead of any backlog.
 */
export async function sendUrgentAlert(ctx: AppContext, input: DecisionInput, decision: Decision): Promise<void> {
  const alertId = await ensureUrgentAlert(ctx.database.db, decision, {
    threadId: input.job.post.thread_id,
    authorId: input.job.post.author.id,
  });
  // Without acceptedAt: the crisis lane's "delivered" figure is the verdict's callback, not the
  // alert's. LIFO puts it at the head of the lane's own queue, before callbacks already waiting there.
  if (alertId) await ctx.queues.deliverUrgent.add(JOB_DELIVER, { deliveryId: alertId }, { jobId: alertId, lifo: true });
}

/**
 * After storing, on retries too (an open alert only gains the decision): a flagged post in a
 * thread may make the thread tense.
 */
export async function checkThreadAfter(ctx: AppContext, input: DecisionInput, decision: Decision): Promise<void> {
  const threadId = input.job.post.thread_id;
  if (!threadId || !canRaiseTension(decision)) return;
  const settings = remediesOf((await ctx.forums.get(decision.forumId))?.remedies).thread_alerts;
  if (!settings) return;
  const opened = await checkThread(ctx.database.db, settings, decision, threadId);
  if (opened?.deliveryId) {
    await ctx.queues.deliver.add(JOB_DELIVER, { deliveryId: opened.deliveryId }, { jobId: opened.deliveryId });
  }
  if (opened) {
    ctx.log.info({ forum_id: decision.forumId, alert_id: opened.alert.id, reason: opened.alert.reason }, 'thread alert opened');
  }
}

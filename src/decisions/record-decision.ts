import { and, asc, eq, max, sql } from 'drizzle-orm';
import { appendAuditEvents, type NewAuditEvent } from '../audit/audit-log.ts';
import type { Db, Tx } from '../db/client.ts';
import { type Decision, decisions, deliveries, forums, posts, type Revision, revisions } from '../db/schema/index.ts';
import { insertDelivery } from '../deliveries/insert-delivery.ts';
import { discourseActionFor } from '../engines/discourse-actions.ts';
import { integrationsSchema } from '../engines/engine.ts';
import type { ModerateJob } from '../jobs/payloads.ts';
import type { EscalationRecord } from '../members/escalation.ts';
import { escalationAudit, remedyAudit } from '../members/escalation-view.ts';
import type { DecisionRemedy } from '../members/remedy.ts';
import type { Verdict } from '../moderation/types.ts';
import { verdictData } from './verdict-payload.ts';

export interface DecisionInput {
  job: ModerateJob;
  policySetVersion: string;
  verdict: Verdict;
  scorers: string[];
  timings: Record<string, number>;
  language?: string;
  /** The LLM's part of the decision, when the post was escalated (see src/llm/judge-post.ts). */
  llm?: { status: string; reason?: string; model: string; prompt_version: string } & Record<string, unknown>;
  /** The author's standing when decided (see src/members/author-standing.ts), when a rule was in force. */
  escalation?: EscalationRecord | null;
  /** The post with someone else's data masked, the author message, a suggested crisis reply (see src/members). */
  remedy?: DecisionRemedy | null;
}

export interface RecordedDecision {
  decision: Decision;
  /** False when this revision already had a decision under this policy set (a retried job). */
  created: boolean;
  /** Deliveries of this decision still waiting to be sent; the caller enqueues them. */
  pendingDeliveryIds: string[];
}

/**
 * Stores the revision, the decision, their audit events and the pending delivery in one
 * transaction. At-least-once job processing can call this twice for one revision; the second
 * call (under any policy set) is a read of the first result, and the unique key on (revision,
 * policy set version) settles two racing first calls.
 */
export async function recordDecision(db: Db, input: DecisionInput): Promise<RecordedDecision> {
  return db.transaction(async (tx) => {
    const { job } = input;
    // Serialises concurrent revisions of one post so revision numbers stay gap-free.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`post:${job.forumId}:${job.post.id}`}, 0))`);
    // A new revision's `received` event is written with the decision's, in one insert.
    const { revision, received } = await findOrInsertRevision(tx, job);
    const audit = (events: NewAuditEvent[]) => appendAuditEvents(tx, received ? [received, ...events] : events);
    // A revision is decided once, by the policy set in force when it first arrived. The same
    // post sent again after its job was trimmed and a new set was published would otherwise get
    // a second decision and a second verdict.created with a new webhook-id, which could undo a
    // moderator's override of the first. Re-deciding old posts under a new set is `hearth replay`.
    const [first] = await tx
      .select({ policySetVersion: decisions.policySetVersion })
      .from(decisions)
      .where(eq(decisions.revisionId, revision.id))
      .orderBy(asc(decisions.decidedAt))
      .limit(1);
    if (first) {
      await audit([]);
      return existingDecision(tx, revision.id, first.policySetVersion);
    }
    const [inserted] = await tx
      .insert(decisions)
      .values({
        forumId: job.forumId,
        postId: job.post.id,
        revisionId: revision.id,
        revision: revision.revision,
        policySetVersion: input.policySetVersion,
        action: input.verdict.action,
        urgent: input.verdict.urgent,
        policies: input.verdict.policies,
        scorers: input.scorers,
        timings: input.timings,
        language: input.language ?? null,
        llm: input.llm ?? null,
        lane: job.lane ?? 'ordinary',
        authorId: job.post.author.id,
        escalation: input.escalation ?? null,
        remedy: input.remedy ?? null,
      })
      .onConflictDoNothing({ target: [decisions.revisionId, decisions.policySetVersion] })
      .returning();
    if (!inserted) {
      await audit([]);
      return existingDecision(tx, revision.id, input.policySetVersion);
    }

    const deliveryId = await insertDelivery(tx, {
      forumId: inserted.forumId,
      decisionId: inserted.id,
      eventType: 'verdict.created',
      payload: { type: 'verdict.created', data: verdictData(inserted) },
    });
    // A post that came from Discourse is also acted on there, retried like a callback. Only
    // then are the forum's engine settings read: most decisions need no second forum query.
    const engineAction = job.post.metadata?.engine === 'discourse' ? await discourseActionOf(tx, inserted, job) : undefined;
    const engineDeliveryId = engineAction
      ? await insertDelivery(tx, {
          forumId: inserted.forumId,
          decisionId: inserted.id,
          eventType: 'discourse.action',
          payload: { type: 'discourse.action', data: { post_id: job.post.id, ...engineAction } },
        })
      : null;
    await audit([
      {
        forumId: job.forumId,
        type: 'decided',
        actor: 'system',
        subjectId: inserted.id,
        payload: {
          post_id: job.post.id,
          revision: revision.revision,
          content_hash: revision.contentHash,
          action: inserted.action,
          urgent: inserted.urgent,
          flagged: inserted.policies.filter((p) => p.flagged).map((p) => ({ policy: p.policy, score: p.score })),
          policy_set_version: inserted.policySetVersion,
          scorers: inserted.scorers,
          ...(input.llm
            ? {
                llm: {
                  status: input.llm.status,
                  reason: input.llm.reason ?? null,
                  model: input.llm.model,
                  prompt_version: input.llm.prompt_version,
                },
              }
            : {}),
          ...(input.escalation ? { escalation: escalationAudit(input.escalation) } : {}),
          ...(input.remedy ? remedyAudit(input.remedy) : {}),
          delivery_id: deliveryId,
          ...(engineAction ? { discourse_action: engineAction.action, discourse_delivery_id: engineDeliveryId } : {}),
        },
      },
    ]);
    return {
      decision: inserted,
      created: true,
      pendingDeliveryIds: [deliveryId, engineDeliveryId].filter((id): id is string => id !== null),
    };
  });
}

async function findOrInsertRevision(tx: Tx, job: ModerateJob): Promise<{ revision: Revision; received?: NewAuditEvent }> {
  const [existing] = await tx
    .select()
    .from(revisions)
    .where(and(eq(revisions.forumId, job.forumId), eq(revisions.postId, job.post.id), eq(revisions.contentHash, job.contentHash)))
    .limit(1);
  if (existing) return { revision: existing };

  const [{ last } = { last: null }] = await tx
    .select({ last: max(revisions.revision) })
    .from(revisions)
    .where(and(eq(revisions.forumId, job.forumId), eq(revisions.postId, job.post.id)));
  const number = (last ?? 0) + 1;
  const { post } = job;
  const [row] = await tx
    .insert(revisions)
    .values({
      forumId: job.forumId,
      postId: post.id,
      revision: number,
      contentHash: job.contentHash,
      submissionId: job.submissionId,
      authorId: post.author.id,
      authorName: post.author.name ?? null,
      threadId: post.thread_id ?? null,
      replyTo: post.reply_to ?? null,
      title: post.title ?? null,
      body: post.body,
      format: post.format,
      metadata: post.metadata ?? {},
      postedAt: post.created_at ? new Date(post.created_at) : null,
      receivedAt: new Date(job.receivedAt),
    })
    .returning();
  if (!row) throw new Error('revision insert returned nothing');
  await tx
    .insert(posts)
    .values({ forumId: job.forumId, postId: post.id, authorId: post.author.id, threadId: post.thread_id ?? null, latestRevision: number })
    .onConflictDoUpdate({ target: [posts.forumId, posts.postId], set: { latestRevision: number, updatedAt: new Date() } });
  const received: NewAuditEvent = {
    forumId: job.forumId,
    type: 'received',
    actor: `forum:${job.forumId}`,
    subjectId: row.id,
    payload: {
      post_id: post.id,
      revision: number,
      content_hash: job.contentHash,
      submission_id: job.submissionId,
      webhook_id: job.webhookId ?? null,
      received_at: job.receivedAt,
    },
  };
  return { revision: row, received };
}

async function existingDecision(tx: Tx, revisionId: string, policySetVersion: string): Promise<RecordedDecision> {
  const [decision] = await tx
    .select()
    .from(decisions)
    .where(and(eq(decisions.revisionId, revisionId), eq(decisions.policySetVersion, policySetVersion)));
  if (!decision) throw new Error('decision vanished after a conflict');
  const pending = await tx
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.decisionId, decision.id), eq(deliveries.status, 'pending')));
  return { decision, created: false, pendingDeliveryIds: pending.map((d) => d.id) };
}

async function discourseActionOf(tx: Tx, decision: Decision, job: ModerateJob) {
  const [forum] = await tx.select({ integrations: forums.integrations }).from(forums).where(eq(forums.id, job.forumId));
  const integrations = integrationsSchema.safeParse(forum?.integrations ?? {});
  return integrations.success ? discourseActionFor(decision, job.post, integrations.data) : undefined;
}

import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { NewAuditEvent } from '../audit/audit-log.ts';
import type { Db, Tx } from '../db/client.ts';
import { auditEvents, type Decision, decisions, deliveries, forums, posts, revisions } from '../db/schema/index.ts';
import { newDeliveryIds } from '../deliveries/insert-delivery.ts';
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
 * Stores the revision, the decision, their audit events and the pending deliveries in one
 * transaction. At-least-once job processing can call this twice for one revision; the second
 * call (under any policy set) is a read of the first result, and the unique key on (revision,
 * policy set version) settles two racing first calls.
 *
 * A new revision, the common case, costs four round trips: the post's lock, one read of its
 * revisions, one statement that writes everything, and the commit (besides `begin`).
 */
export async function recordDecision(db: Db, input: DecisionInput): Promise<RecordedDecision> {
  return db.transaction(async (tx) => {
    const { job } = input;
    // Serialises concurrent revisions of one post so revision numbers stay gap-free.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`post:${job.forumId}:${job.post.id}`}, 0))`);
    const known = await knownRevision(tx, job);
    if (!known.sameContent) {
      // A revision created here has no decision yet (nobody else can see it before the commit).
      const revision = { id: randomUUID(), revision: (known.latest ?? 0) + 1, contentHash: job.contentHash };
      return writeDecision(tx, input, revision, { newRevision: true });
    }
    const revision = known.sameContent;
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
    if (first) return existingDecision(tx, revision.id, first.policySetVersion);
    return writeDecision(tx, input, revision, { newRevision: false });
  });
}

interface RevisionRef {
  id: string;
  revision: number;
  contentHash: string;
}

/** In one read: the post's revision with this content, if stored, else the post's latest revision number. */
async function knownRevision(tx: Tx, job: ModerateJob): Promise<{ sameContent?: RevisionRef; latest?: number }> {
  const sameContent = sql<boolean>`${revisions.contentHash} = ${job.contentHash}`;
  const [row] = await tx
    .select({ id: revisions.id, revision: revisions.revision, contentHash: revisions.contentHash, sameContent })
    .from(revisions)
    .where(and(eq(revisions.forumId, job.forumId), eq(revisions.postId, job.post.id)))
    .orderBy(desc(sameContent), desc(revisions.revision))
    .limit(1);
  if (!row) return {};
  return row.sameContent ? { sameContent: row } : { latest: row.revision };
}

/**
 * The decision and everything that goes with it, in one statement (a round trip and a write
 * instead of one per row): for a new revision the revision, its post and its `received` event;
 * then the decision, its verdict callback when the forum has an active callback URL, a
 * Discourse action for a post from Discourse, and the `decided` event. The decision's id and
 * time are chosen here, so its callback's payload is known before the insert. Should the
 * decision already exist (two racing first calls), nothing that hangs on it is written and
 * the stored one is returned.
 */
async function writeDecision(
  tx: Tx,
  input: DecisionInput,
  revision: RevisionRef,
  opts: { newRevision: boolean },
): Promise<RecordedDecision> {
  const { job } = input;
  const { post } = job;
  const now = new Date();
  const decision: Decision = {
    id: randomUUID(),
    forumId: job.forumId,
    postId: post.id,
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
    decidedAt: now,
    lane: job.lane ?? 'ordinary',
    authorId: post.author.id,
    escalation: input.escalation ?? null,
    remedy: input.remedy ?? null,
  };
  const callback = newDeliveryIds();
  // A post that came from Discourse is also acted on there, retried like a callback. Only
  // then are the forum's engine settings read: most decisions need no second forum query.
  const engineAction = post.metadata?.engine === 'discourse' ? await discourseActionOf(tx, decision, job) : undefined;
  const engine = engineAction ? newDeliveryIds() : undefined;
  const json = (value: unknown) => sql`${value === null || value === undefined ? null : JSON.stringify(value)}::jsonb`;

  const received: NewAuditEvent = {
    forumId: job.forumId,
    type: 'received',
    actor: `forum:${job.forumId}`,
    subjectId: revision.id,
    payload: {
      post_id: post.id,
      revision: revision.revision,
      content_hash: job.contentHash,
      submission_id: job.submissionId,
      webhook_id: job.webhookId ?? null,
      received_at: job.receivedAt,
    },
  };
  // Without delivery_id, which the statement adds: null when the forum has no active callback.
  const decidedPayload = {
    post_id: post.id,
    revision: revision.revision,
    content_hash: revision.contentHash,
    action: decision.action,
    urgent: decision.urgent,
    flagged: decision.policies.filter((p) => p.flagged).map((p) => ({ policy: p.policy, score: p.score })),
    policy_set_version: decision.policySetVersion,
    scorers: decision.scorers,
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
    ...(engineAction && engine ? { discourse_action: engineAction.action, discourse_delivery_id: engine.id } : {}),
  };

  const newRevision = opts.newRevision
    ? sql`new_revision as (
        insert into ${revisions} (id, forum_id, post_id, revision, content_hash, submission_id, author_id, author_name,
          thread_id, reply_to, title, body, format, metadata, posted_at, received_at)
        values (${revision.id}::uuid, ${job.forumId}::text, ${post.id}::text, ${revision.revision}::int, ${job.contentHash}::text,
          ${job.submissionId}::text, ${post.author.id}::text, ${post.author.name ?? null}::text, ${post.thread_id ?? null}::text,
          ${post.reply_to ?? null}::text, ${post.title ?? null}::text, ${post.body}::text, ${post.format}::text, ${json(post.metadata ?? {})},
          ${post.created_at ? new Date(post.created_at).toISOString() : null}::timestamptz, ${new Date(job.receivedAt).toISOString()}::timestamptz)
      ), new_post as (
        insert into ${posts} (forum_id, post_id, author_id, thread_id, latest_revision)
        values (${job.forumId}::text, ${post.id}::text, ${post.author.id}::text, ${post.thread_id ?? null}::text, ${revision.revision}::int)
        on conflict (forum_id, post_id) do update set latest_revision = excluded.latest_revision, updated_at = ${now.toISOString()}::timestamptz
      ), `
    : sql``;
  const receivedEvent = opts.newRevision
    ? sql`select ${received.forumId}::text, ${received.type}::text, ${received.actor}::text, ${received.subjectId}::text,
          ${json(received.payload)}, ${now.toISOString()}::timestamptz
        union all `
    : sql``;
  const engineDelivery =
    engineAction && engine
      ? sql`, engine_delivery as (
        insert into ${deliveries} (id, webhook_id, forum_id, decision_id, event_type, payload)
        select ${engine.id}::uuid, ${engine.webhookId}::text, ${job.forumId}::text, decision.id, 'discourse.action',
          ${json({ type: 'discourse.action', data: { post_id: post.id, ...engineAction } })}
        from decision
        returning id
      )`
      : sql``;
  const result = await tx.execute<{ decision_id: string | null; callback_id: string | null }>(sql`with ${newRevision}decision as (
      insert into ${decisions} (id, forum_id, post_id, revision_id, revision, policy_set_version, action, urgent, policies,
        scorers, timings, language, llm, decided_at, lane, author_id, escalation, remedy)
      values (${decision.id}::uuid, ${decision.forumId}::text, ${decision.postId}::text, ${decision.revisionId}::uuid,
        ${decision.revision}::int, ${decision.policySetVersion}::text, ${decision.action}::text, ${decision.urgent}::boolean,
        ${json(decision.policies)}, ${json(decision.scorers)}, ${json(decision.timings)}, ${decision.language}::text,
        ${json(decision.llm)}, ${now.toISOString()}::timestamptz, ${decision.lane}::text, ${decision.authorId}::text,
        ${json(decision.escalation)}, ${json(decision.remedy)})
      on conflict (revision_id, policy_set_version) do nothing
      returning id
    ), callback as (
      insert into ${deliveries} (id, webhook_id, forum_id, decision_id, event_type, payload)
      select ${callback.id}::uuid, ${callback.webhookId}::text, forum.id, decision.id, 'verdict.created',
        ${json({ type: 'verdict.created', data: verdictData(decision) })}
      from decision join ${forums} as forum on forum.id = ${job.forumId}::text
      where forum.callback_url is not null and forum.callback_disabled_at is null
      returning id
    )${engineDelivery}, events as (
      insert into ${auditEvents} (forum_id, type, actor, subject_id, payload, created_at)
      ${receivedEvent}select ${job.forumId}::text, 'decided', 'system', decision.id::text,
        ${json(decidedPayload)} || jsonb_build_object('delivery_id', (select id from callback)), ${now.toISOString()}::timestamptz
      from decision
    )
    select (select id from decision) as decision_id, (select id from callback) as callback_id`);
  const [written] = result;
  if (!written?.decision_id) return existingDecision(tx, revision.id, input.policySetVersion);
  return {
    decision,
    created: true,
    pendingDeliveryIds: [written.callback_id, engine?.id ?? null].filter((id): id is string => id !== null),
  };
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

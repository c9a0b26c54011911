import { randomUUID } from 'node:crypto';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { describeDatabaseError } from '../db/database-error.ts';
import { CompiledStatement } from '../db/prepared.ts';
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
 * Stores the revision, the decision, their audit events and the pending deliveries, all or
 * nothing. At-least-once job processing can call this twice for one revision; the second call
 * (under any policy set) is a read of the first result, and the unique key on (revision,
 * policy set version) settles two racing first calls.
 *
 * A post's first sight of this content, the common case, is one statement in one round trip,
 * committed on its own: it numbers the revision itself and writes nothing when the content is
 * stored already. Only then, or when another revision of the post raced it (a unique key
 * refused it), is the post locked and looked at, as before.
 */
export async function recordDecision(db: Db, input: DecisionInput): Promise<RecordedDecision> {
  const written = await writeDecision(db, input, { newRevision: true }).catch(unlessUniqueViolation);
  if (written) return written;
  // A first attempt of another revision does not take the lock; should one win a race with
  // this transaction, this one runs again and sees the winner.
  for (let attempt = 1; attempt <= MAX_LOCKED_ATTEMPTS; attempt++) {
    const recorded = await recordUnderPostLock(db, input).catch(unlessUniqueViolation);
    if (recorded) return recorded;
  }
  throw new Error(`post ${input.job.post.id} kept gaining revisions while this one was stored; the job will retry`);
}

const UNIQUE_VIOLATION = '23505';
const MAX_LOCKED_ATTEMPTS = 5;

function unlessUniqueViolation(err: unknown): undefined {
  if (describeDatabaseError(err).code === UNIQUE_VIOLATION) return undefined;
  throw err;
}

/** Undefined when a first attempt of another revision of the post, which takes no lock, won a race with it. */
function recordUnderPostLock(db: Db, input: DecisionInput): Promise<RecordedDecision | undefined> {
  return db.transaction(async (tx) => {
    const { job } = input;
    // Serialises concurrent revisions of one post so revision numbers stay gap-free.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`post:${job.forumId}:${job.post.id}`}, 0))`);
    const [stored] = await tx
      .select({ id: revisions.id, revision: revisions.revision })
      .from(revisions)
      .where(and(eq(revisions.forumId, job.forumId), eq(revisions.postId, job.post.id), eq(revisions.contentHash, job.contentHash)))
      .limit(1);
    if (!stored) return writeDecision(tx, input, { newRevision: true });
    // A revision is decided once, by the policy set in force when it first arrived. The same
    // post sent again after its job was trimmed and a new set was published would otherwise get
    // a second decision and a second verdict.created with a new webhook-id, which could undo a
    // moderator's override of the first. Re-deciding old posts under a new set is `hearth replay`.
    const [first] = await tx
      .select({ policySetVersion: decisions.policySetVersion })
      .from(decisions)
      .where(eq(decisions.revisionId, stored.id))
      .orderBy(asc(decisions.decidedAt))
      .limit(1);
    if (first) return existingDecision(tx, stored.id, first.policySetVersion);
    return (await writeDecision(tx, input, { storedRevision: stored })) ?? existingDecision(tx, stored.id, input.policySetVersion);
  });
}

type RevisionSource = { newRevision: true } | { storedRevision: { id: string; revision: number } };

/**
 * The decision and everything that goes with it, in one statement (a round trip and a write
 * instead of one per row): for a new revision the revision numbered after the post's last,
 * its post and its `received` event; then the decision, its verdict callback when the forum
 * has an active callback URL, a Discourse action for a post from Discourse, and the `decided`
 * event. The decision's id and time are chosen here, so its callback's payload is known
 * before the insert, all but the revision number, which the statement adds to each payload.
 * Undefined, with nothing written, when the new revision's content is stored already, or when
 * the stored revision has its decision under this policy set (two racing first calls).
 */
async function writeDecision(db: DbOrTx, input: DecisionInput, source: RevisionSource): Promise<RecordedDecision | undefined> {
  const { job } = input;
  const { post } = job;
  const now = new Date();
  const revisionId = 'storedRevision' in source ? source.storedRevision.id : randomUUID();
  const decision: Decision = {
    id: randomUUID(),
    forumId: job.forumId,
    postId: post.id,
    revisionId,
    // Until the statement has numbered a new revision; its number overrides this in every payload.
    revision: 'storedRevision' in source ? source.storedRevision.revision : 0,
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
  const engineAction = post.metadata?.engine === 'discourse' ? await discourseActionOf(db, decision, job) : undefined;
  const engine = engineAction ? newDeliveryIds() : undefined;
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

  // Without revision (added by the statement), like the decided event's payload below.
  const receivedPayload = {
    post_id: post.id,
    content_hash: job.contentHash,
    submission_id: job.submissionId,
    webhook_id: job.webhookId ?? null,
    received_at: job.receivedAt,
  };
  // Without delivery_id either: null when the forum has no active callback.
  const decidedPayload = {
    post_id: post.id,
    content_hash: job.contentHash,
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

  const values: DecisionStatementValues = {
    forumId: job.forumId,
    postId: post.id,
    revisionId,
    storedRevision: 'storedRevision' in source ? source.storedRevision.revision : null,
    contentHash: job.contentHash,
    submissionId: job.submissionId,
    authorId: post.author.id,
    authorName: post.author.name ?? null,
    threadId: post.thread_id ?? null,
    replyTo: post.reply_to ?? null,
    title: post.title ?? null,
    body: post.body,
    format: post.format,
    metadata: json(post.metadata ?? {}),
    postedAt: post.created_at ? new Date(post.created_at).toISOString() : null,
    receivedAt: new Date(job.receivedAt).toISOString(),
    at: now.toISOString(),
    decisionId: decision.id,
    policySetVersion: decision.policySetVersion,
    action: decision.action,
    urgent: decision.urgent,
    policies: json(decision.policies),
    scorers: json(decision.scorers),
    timings: json(decision.timings),
    language: decision.language,
    llm: json(decision.llm),
    lane: decision.lane,
    escalation: json(decision.escalation),
    remedy: json(decision.remedy),
    callbackId: callback.id,
    callbackWebhookId: callback.webhookId,
    verdict: json(verdictData(decision)),
    receivedPayload: json(receivedPayload),
    decidedPayload: json(decidedPayload),
    engineId: engine?.id ?? null,
    engineWebhookId: engine?.webhookId ?? null,
    enginePayload: engineAction ? json({ type: 'discourse.action', data: { post_id: post.id, ...engineAction } }) : null,
  };
  const statement = decisionStatement({
    newRevision: !('storedRevision' in source),
    engineAction: engineAction !== undefined && engine !== undefined,
  });
  const [written] = await statement.run(db, values);
  if (!written?.decision_id || written.revision === null) return undefined;
  return {
    decision: { ...decision, revision: written.revision },
    created: true,
    pendingDeliveryIds: [written.callback_id, engine?.id ?? null].filter((id): id is string => id !== null),
  };
}

async function existingDecision(tx: DbOrTx, revisionId: string, policySetVersion: string): Promise<RecordedDecision> {
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

async function discourseActionOf(tx: DbOrTx, decision: Decision, job: ModerateJob) {
  const [forum] = await tx.select({ integrations: forums.integrations }).from(forums).where(eq(forums.id, job.forumId));
  const integrations = integrationsSchema.safeParse(forum?.integrations ?? {});
  return integrations.success ? discourseActionFor(decision, job.post, integrations.data) : undefined;
}

type DecisionStatementValues = Record<string, string | number | boolean | null>;
type DecisionStatementRow = { decision_id: string | null; revision: number | null; callback_id: string | null };

/**
 * The decision's statement, compiled once per shape: a new revision or a stored one, with or
 * without a Discourse action. Every value is a placeholder (see CompiledStatement).
 */
function decisionStatement(shape: { newRevision: boolean; engineAction: boolean }): CompiledStatement<DecisionStatementRow> {
  const key = `${shape.newRevision ? 'new' : 'stored'}-${shape.engineAction ? 'engine' : 'plain'}`;
  let compiled = decisionStatements.get(key);
  if (!compiled) {
    compiled = new CompiledStatement(`record-decision-${key}`, buildDecisionStatement(shape));
    decisionStatements.set(key, compiled);
  }
  return compiled;
}
const decisionStatements = new Map<string, CompiledStatement<DecisionStatementRow>>();

function buildDecisionStatement(shape: { newRevision: boolean; engineAction: boolean }): SQL {
  const v = (name: string) => sql.placeholder(name);
  const jsonb = (name: string) => sql`${v(name)}::jsonb`;
  const at = sql`${v('at')}::timestamptz`;
  // `revision` is the one row (id, revision) everything hangs on, or no row: then nothing is written.
  const revision = !shape.newRevision
    ? sql`revision as (select ${v('revisionId')}::uuid as id, ${v('storedRevision')}::int as revision)`
    : sql`revision as (
        insert into ${revisions} (id, forum_id, post_id, revision, content_hash, submission_id, author_id, author_name,
          thread_id, reply_to, title, body, format, metadata, posted_at, received_at)
        select ${v('revisionId')}::uuid, ${v('forumId')}::text, ${v('postId')}::text, coalesce(max(stored.revision), 0) + 1,
          ${v('contentHash')}::text, ${v('submissionId')}::text, ${v('authorId')}::text, ${v('authorName')}::text,
          ${v('threadId')}::text, ${v('replyTo')}::text, ${v('title')}::text, ${v('body')}::text,
          ${v('format')}::text, ${jsonb('metadata')}, ${v('postedAt')}::timestamptz, ${v('receivedAt')}::timestamptz
        from ${revisions} as stored
        where stored.forum_id = ${v('forumId')}::text and stored.post_id = ${v('postId')}::text
        having not coalesce(bool_or(stored.content_hash = ${v('contentHash')}::text), false)
        returning id, revision
      ), new_post as (
        insert into ${posts} (forum_id, post_id, author_id, thread_id, latest_revision)
        select ${v('forumId')}::text, ${v('postId')}::text, ${v('authorId')}::text, ${v('threadId')}::text, revision.revision
        from revision
        on conflict (forum_id, post_id) do update set latest_revision = excluded.latest_revision, updated_at = ${at}
      )`;
  const receivedEvent = !shape.newRevision
    ? sql``
    : sql`select ${v('forumId')}::text, 'received', 'forum:' || ${v('forumId')}::text, revision.id::text,
          ${jsonb('receivedPayload')} || jsonb_build_object('revision', revision.revision), ${at}
        from revision
        union all `;
  const engineDelivery = shape.engineAction
    ? sql`, engine_delivery as (
        insert into ${deliveries} (id, webhook_id, forum_id, decision_id, event_type, payload)
        select ${v('engineId')}::uuid, ${v('engineWebhookId')}::text, ${v('forumId')}::text, decision.id, 'discourse.action',
          ${jsonb('enginePayload')}
        from decision
        returning id
      )`
    : sql``;
  return sql`with ${revision},
    decision as (
      insert into ${decisions} (id, forum_id, post_id, revision_id, revision, policy_set_version, action, urgent, policies,
        scorers, timings, language, llm, decided_at, lane, author_id, escalation, remedy)
      select ${v('decisionId')}::uuid, ${v('forumId')}::text, ${v('postId')}::text, revision.id, revision.revision,
        ${v('policySetVersion')}::text, ${v('action')}::text, ${v('urgent')}::boolean, ${jsonb('policies')},
        ${jsonb('scorers')}, ${jsonb('timings')}, ${v('language')}::text, ${jsonb('llm')}, ${at},
        ${v('lane')}::text, ${v('authorId')}::text, ${jsonb('escalation')}, ${jsonb('remedy')}
      from revision
      on conflict (revision_id, policy_set_version) do nothing
      returning id, revision
    ), callback as (
      insert into ${deliveries} (id, webhook_id, forum_id, decision_id, event_type, payload)
      select ${v('callbackId')}::uuid, ${v('callbackWebhookId')}::text, forum.id, decision.id, 'verdict.created',
        jsonb_build_object('type', 'verdict.created', 'data', ${jsonb('verdict')} || jsonb_build_object('revision', decision.revision))
      from decision join ${forums} as forum on forum.id = ${v('forumId')}::text
      where forum.callback_url is not null and forum.callback_disabled_at is null
      returning id
    )${engineDelivery}, events as (
      insert into ${auditEvents} (forum_id, type, actor, subject_id, payload, created_at)
      ${receivedEvent}select ${v('forumId')}::text, 'decided', 'system', decision.id::text,
        ${jsonb('decidedPayload')} || jsonb_build_object('revision', decision.revision, 'delivery_id', (select id from callback)), ${at}
      from decision
    )
    select (select id from decision) as decision_id, (select revision from decision) as revision, (select id from callback) as callback_id`;
}

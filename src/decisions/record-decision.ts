import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { describeDatabaseError } from '../db/database-error.ts';
import { oncePerDb } from '../db/prepared.ts';
import { type Decision, decisions, deliveries, forums, revisions } from '../db/schema/index.ts';
import { roundsOfDistinct, TurnBatcher } from '../db/turn-batcher.ts';
import { newDeliveryIds } from '../deliveries/insert-delivery.ts';
import { discourseActionFor } from '../engines/discourse-actions.ts';
import { integrationsSchema } from '../engines/engine.ts';
import type { ModerateJob } from '../jobs/payloads.ts';
import type { EscalationRecord } from '../members/escalation.ts';
import { escalationAudit, remedyAudit } from '../members/escalation-view.ts';
import type { DecisionRemedy } from '../members/remedy.ts';
import type { Verdict } from '../moderation/types.ts';
import {
  type DecisionStatementRow,
  type DecisionStatementValues,
  MAX_DECISIONS_PER_STATEMENT,
  runDecisionStatement,
} from './decision-statement.ts';
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
  const written = await writeDecision(db, input, { newRevision: true, batchOn: db }).catch(unlessUniqueViolation);
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

/** `batchOn`: the pool this write may share a statement on (never inside a transaction). */
type RevisionSource = { newRevision: true; batchOn?: Db } | { storedRevision: { id: string; revision: number }; batchOn?: undefined };

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
  const shape = { newRevision: !('storedRevision' in source), engineAction: engineAction !== undefined && engine !== undefined };
  const written =
    db === source.batchOn && shape.newRevision && !shape.engineAction
      ? await settledOrThrow(firstWrites(source.batchOn).add(values))
      : (await runDecisionStatement(db, shape, [values]))[0];
  if (!written?.decision_id || written.revision === null) return undefined;
  return {
    decision: { ...decision, revision: written.revision },
    created: true,
    pendingDeliveryIds: [written.callback_id, engine?.id ?? null].filter((id): id is string => id !== null),
  };
}

/**
 * The first write of a new revision, the common case, shares a statement with the others that
 * concurrent jobs make in the same turn of the event loop (a round trip, a socket write and a
 * commit for several decisions). Two revisions of one post never share one: each numbers its
 * revision from the same snapshot. Should a shared statement fail, each decision is written
 * alone, so an error (a unique key refusing a racing revision, a value PostgreSQL refuses)
 * reaches only the decision it belongs to.
 */
const firstWrites = oncePerDb(
  (db: Db) =>
    new TurnBatcher<DecisionStatementValues, PromiseSettledResult<DecisionStatementRow | undefined>>(async (batch) => {
      const results: PromiseSettledResult<DecisionStatementRow | undefined>[] = [];
      for (const round of roundsOfDistinct(batch, (values) => `${values.forumId}\u0000${values.postId}`)) {
        const alone = (values: DecisionStatementValues) => runDecisionStatement(db, plainNewRevision, [values]).then((rows) => rows[0]);
        const rows =
          round.length > 1
            ? await runDecisionStatement(db, plainNewRevision, round).then(
                (written) => written.map((row) => ({ status: 'fulfilled', value: row }) as const),
                () => Promise.allSettled(round.map(alone)),
              )
            : await Promise.allSettled(round.map(alone));
        for (const [i, values] of round.entries())
          results[batch.indexOf(values)] = rows[i] as PromiseSettledResult<DecisionStatementRow | undefined>;
      }
      return results;
    }, MAX_DECISIONS_PER_STATEMENT),
);
const plainNewRevision = { newRevision: true, engineAction: false };

function settledOrThrow<T>(settled: Promise<PromiseSettledResult<T>>): Promise<T> {
  return settled.then((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
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

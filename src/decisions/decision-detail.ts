import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { type AuditEventView, auditEventView } from '../audit/audit-event-view.ts';
import type { ForumScope } from '../auth/api-keys.ts';
import { assertInScope } from '../auth/forum-scope.ts';
import type { DbOrTx } from '../db/client.ts';
import {
  type AuditEvent,
  auditEvents,
  decisions,
  deliveries,
  deliveryAttempts,
  type Review,
  reviewClaims,
  reviews,
  revisions,
} from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { Evidence, PolicyResult } from '../moderation/types.ts';
import { maskEvidence, maskPersonalData } from '../privacy/mask-personal-data.ts';
import { type DecisionSummary, latestReviewSql, summarise } from './list-decisions.ts';

export interface DecisionDetail extends DecisionSummary {
  policies: PolicyResult[];
  scorers: string[];
  timings: Record<string, number>;
  /** The LLM's part when the post was escalated: model, prompt version, tokens, its judgements and the local view, or why it failed. */
  llm: Record<string, unknown> | null;
  post: {
    author: { id: string; name: string | null };
    thread_id: string | null;
    reply_to: string | null;
    title: string | null;
    /** Null once the forum's retention period purged it. */
    body: string | null;
    format: string;
    content_hash: string;
    posted_at: string | null;
    received_at: string;
    purged_at: string | null;
    /** True when e-mails, phone numbers and addresses were masked for this reader. */
    masked: boolean;
  };
  deliveries: DeliveryView[];
  reviews: ReviewView[];
  claim: { claimed_by: string; expires_at: string } | null;
  audit_trail: AuditEventView[];
}

export interface DeliveryView {
  id: string;
  webhook_id: string;
  event_type: string;
  status: string;
  attempts: Array<{ attempt: number; status_code: number | null; latency_ms: number; error: string | null; started_at: string }>;
  last_status_code: number | null;
  last_error: string | null;
  redelivery_of: string | null;
  created_at: string;
  completed_at: string | null;
}

export interface ReviewView {
  id: string;
  outcome: Review['outcome'];
  action: Review['action'];
  labels: string[];
  note: string | null;
  reviewer: string;
  created_at: string;
}

/**
 * One decision with everything a moderator or auditor needs to judge it. A decision outside
 * the key's forums is reported as absent. `mask` hides contact details from auditors.
 */
export async function getDecisionDetail(db: DbOrTx, scope: ForumScope, id: string, opts: { mask: boolean }): Promise<DecisionDetail> {
  const [row] = await db
    .select({ decision: decisions, revision: revisions, review: latestReviewSql })
    .from(decisions)
    .innerJoin(revisions, eq(revisions.id, decisions.revisionId))
    .where(eq(decisions.id, id));
  if (!row) throw new AppError('not_found', `no decision ${id}`);
  assertInScope(scope, row.decision.forumId, `decision ${id}`);
  const { decision, revision } = row;

  const [deliveryRows, reviewRows, [claim], trail] = await Promise.all([
    db.select().from(deliveries).where(eq(deliveries.decisionId, id)).orderBy(asc(deliveries.createdAt)),
    db.select().from(reviews).where(eq(reviews.decisionId, id)).orderBy(asc(reviews.createdAt)),
    db
      .select()
      .from(reviewClaims)
      .where(and(eq(reviewClaims.decisionId, id), sql`${reviewClaims.expiresAt} > now()`)),
    postAuditTrail(db, decision.forumId, decision.postId),
  ]);
  const attempts =
    deliveryRows.length === 0
      ? []
      : await db
          .select()
          .from(deliveryAttempts)
          .where(
            inArray(
              deliveryAttempts.deliveryId,
              deliveryRows.map((d) => d.id),
            ),
          )
          .orderBy(asc(deliveryAttempts.attempt));

  const body = revision.body === null ? null : opts.mask ? maskPersonalData(revision.body) : revision.body;
  const title = revision.title === null ? null : opts.mask ? maskPersonalData(revision.title) : revision.title;
  // For an auditor, evidence is re-cut from the masked text by its offsets, and rationales
  // (which can quote the post: the model's quoted words, the LLM's free text) are masked too.
  const masked = { body: body ?? '', title };
  const policies = opts.mask
    ? decision.policies.map((p) => ({ ...p, rationale: maskPersonalData(p.rationale), evidence: maskEvidence(p.evidence, masked) }))
    : decision.policies;

  return {
    ...summarise(decision, row.review),
    policies,
    scorers: decision.scorers,
    timings: decision.timings,
    llm: opts.mask ? maskedLlm(decision.llm, masked) : decision.llm,
    post: {
      author: { id: revision.authorId, name: revision.authorName },
      thread_id: revision.threadId,
      reply_to: revision.replyTo,
      title,
      body,
      format: revision.format,
      content_hash: revision.contentHash,
      posted_at: revision.postedAt?.toISOString() ?? null,
      received_at: revision.receivedAt.toISOString(),
      purged_at: revision.purgedAt?.toISOString() ?? null,
      masked: opts.mask,
    },
    deliveries: deliveryRows.map((d) => ({
      id: d.id,
      webhook_id: d.webhookId,
      event_type: d.eventType,
      status: d.status,
      attempts: attempts
        .filter((a) => a.deliveryId === d.id)
        .map((a) => ({
          attempt: a.attempt,
          status_code: a.statusCode,
          latency_ms: a.latencyMs,
          error: a.error,
          started_at: a.startedAt.toISOString(),
        })),
      last_status_code: d.lastStatusCode,
      last_error: d.lastError,
      redelivery_of: d.redeliveryOf,
      created_at: d.createdAt.toISOString(),
      completed_at: d.completedAt?.toISOString() ?? null,
    })),
    // A moderator's note can repeat the contact details the post leaked.
    reviews: reviewRows.map((r) =>
      opts.mask ? { ...reviewView(r), note: r.note === null ? null : maskPersonalData(r.note) } : reviewView(r),
    ),
    claim: claim ? { claimed_by: claim.claimedBy, expires_at: claim.expiresAt.toISOString() } : null,
    audit_trail: trail.map((e) => auditEventView(e, { mask: opts.mask })),
  };
}

/**
 * Every audit event about one post: its revisions, decisions, deliveries and reviews. Events
 * name the post, or the decision a delivery belongs to.
 */
async function postAuditTrail(db: DbOrTx, forumId: string, postId: string): Promise<AuditEvent[]> {
  const decisionIds = db
    .select({ id: sql`${decisions.id}::text` })
    .from(decisions)
    .where(and(eq(decisions.forumId, forumId), eq(decisions.postId, postId)));
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.forumId, forumId),
        or(sql`${auditEvents.payload}->>'post_id' = ${postId}`, sql`${auditEvents.payload}->>'decision_id' in (${decisionIds})`),
      ),
    )
    .orderBy(asc(auditEvents.seq));
}

export function reviewView(r: Review): ReviewView {
  return {
    id: r.id,
    outcome: r.outcome,
    action: r.action,
    labels: r.labels,
    note: r.note,
    reviewer: r.reviewer,
    created_at: r.createdAt.toISOString(),
  };
}

/** An auditor sees the LLM's verdicts, with its quotes re-cut from the masked text and its rationales masked. */
function maskedLlm(llm: Record<string, unknown> | null, masked: { body: string; title: string | null }): Record<string, unknown> | null {
  if (!llm || !Array.isArray(llm.judgements)) return llm;
  return {
    ...llm,
    judgements: (llm.judgements as Array<{ rationale?: string; evidence?: Evidence[] }>).map((j) => ({
      ...j,
      rationale: maskPersonalData(j.rationale ?? ''),
      evidence: maskEvidence(j.evidence ?? [], masked),
    })),
  };
}

import { createHash } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log.ts';
import type { ForumScope } from '../auth/api-keys.ts';
import { assertInScope } from '../auth/forum-scope.ts';
import type { Db } from '../db/client.ts';
import { type Action, decisions, type Review, type ReviewOutcome, reviewClaims, reviews } from '../db/schema/index.ts';
import { verdictData } from '../decisions/verdict-payload.ts';
import { insertDelivery } from '../deliveries/insert-delivery.ts';
import { AppError } from '../errors.ts';
import type { PolicyId } from '../moderation/types.ts';
import { activeClaim, type Reviewer } from './claim-decision.ts';

export interface ReviewInput {
  outcome: ReviewOutcome;
  /** Required for an override; a confirm keeps the decision's action. */
  action?: Action;
  /**
   * The policies that truly apply; [] for a clean post. Required for an override; a confirm
   * without them keeps the labels in force (the newest review's, else the policies flagged).
   */
  labels?: PolicyId[];
  note?: string;
}

export interface RecordedReview {
  review: Review;
  /** The `verdict.updated` callback an override queued, to be sent after commit. */
  deliveryId: string | null;
}

/**
 * Records a moderator's review with its audit event in one transaction. An override also
 * stores a `verdict.updated` callback for the forum. Someone else's live claim on the
 * decision is a conflict; the reviewer's own claim is released.
 */
export async function recordReview(
  db: Db,
  scope: ForumScope,
  decisionId: string,
  input: ReviewInput,
  reviewer: Reviewer,
): Promise<RecordedReview> {
  return db.transaction(async (tx) => {
    // Row lock: two reviews of one decision are recorded one after the other.
    const [decision] = await tx.select().from(decisions).where(eq(decisions.id, decisionId)).for('update');
    if (!decision) throw new AppError('not_found', `no decision ${decisionId}`);
    assertInScope(scope, decision.forumId, `decision ${decisionId}`);
    const claim = await activeClaim(tx, decisionId);
    if (claim && claim.keyId !== reviewer.keyId) {
      throw new AppError('conflict', `claimed by ${claim.claimedBy} until ${claim.expiresAt.toISOString()}`, {
        details: { claimed_by: claim.claimedBy, expires_at: claim.expiresAt.toISOString() },
      });
    }
    // The action in force is the newest review's, once a moderator has overridden it.
    const [latest] = await tx
      .select({ action: reviews.action, labels: reviews.labels })
      .from(reviews)
      .where(eq(reviews.decisionId, decisionId))
      .orderBy(desc(reviews.createdAt))
      .limit(1);
    const current = latest?.action ?? decision.action;
    if (input.outcome === 'confirm' && input.action !== undefined && input.action !== current) {
      throw new AppError('validation_failed', `a confirm keeps the action in force (${current}); send outcome "override" to change it`);
    }
    if (input.outcome === 'override' && input.action === undefined) {
      throw new AppError('validation_failed', 'an override needs the action the post should get');
    }
    // An override changes the verdict, so the moderator must say what applies; a confirm agrees
    // with what is in force, labels included, unless the moderator names others.
    if (input.outcome === 'override' && input.labels === undefined) {
      throw new AppError('validation_failed', 'an override needs labels: the policies that truly apply, [] for a clean post');
    }
    const action = input.action ?? current;
    const inForce = latest?.labels ?? decision.policies.filter((p) => p.flagged).map((p) => p.policy);
    const labels = [...new Set(input.labels ?? inForce)];

    const [review] = await tx
      .insert(reviews)
      .values({
        decisionId,
        forumId: decision.forumId,
        postId: decision.postId,
        outcome: input.outcome,
        action,
        labels,
        note: input.note ?? null,
        reviewerKeyId: reviewer.keyId,
        reviewer: reviewer.label,
        createdAt: sql`now()`,
      })
      .returning();
    if (!review) throw new Error('review insert returned nothing');
    await tx.delete(reviewClaims).where(eq(reviewClaims.decisionId, decisionId));

    const deliveryId =
      input.outcome === 'override'
        ? await insertDelivery(tx, {
            forumId: decision.forumId,
            decisionId,
            eventType: 'verdict.updated',
            payload: {
              type: 'verdict.updated',
              data: {
                ...verdictData(decision),
                action,
                previous_action: current,
                review: {
                  id: review.id,
                  outcome: review.outcome,
                  labels,
                  reviewer: review.reviewer,
                  reviewed_at: review.createdAt.toISOString(),
                },
              },
            },
          })
        : null;

    await appendAuditEvent(tx, {
      forumId: decision.forumId,
      type: 'reviewed',
      actor: `key:${reviewer.keyId}`,
      subjectId: review.id,
      payload: {
        post_id: decision.postId,
        decision_id: decisionId,
        outcome: review.outcome,
        action,
        previous_action: current,
        labels,
        // The note stays out of the append-only chain, which an erasure could not reach; its hash
        // lets an auditor check a note shown elsewhere against the chain.
        note_sha256: review.note === null ? null : createHash('sha256').update(review.note).digest('hex'),
        reviewer: review.reviewer,
        delivery_id: deliveryId,
      },
    });
    return { review, deliveryId };
  });
}

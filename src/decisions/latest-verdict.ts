import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { type Action, type Decision, decisions, revisions } from '../db/schema/index.ts';
import { type LatestReview, latestReviewSql } from './list-decisions.ts';
import { type VerdictData, verdictData } from './verdict-payload.ts';

/** The verdict route's answer: the verdict with the action a moderator's review put in force. */
export interface VerdictInForce extends VerdictData {
  /** What Hearth decided; `action` differs from it once a moderator overrode the decision. */
  decided_action: Action;
  /** The newest review of the decision, or null when no moderator has reviewed it. */
  review: {
    outcome: LatestReview['outcome'];
    action: Action;
    previous_action: Action;
    reviewer: string;
    reviewed_at: string;
    labels: LatestReview['labels'];
  } | null;
}

/**
 * The verdict in force for the post's newest revision (the newest decision of it, if
 * re-scored): the newest review's action when a moderator reviewed that decision, else the
 * decision's own.
 */
export async function verdictInForce(db: DbOrTx, forumId: string, postId: string): Promise<VerdictInForce | undefined> {
  const [row] = await db
    .select({ decision: decisions, review: latestReviewSql })
    .from(decisions)
    .where(and(eq(decisions.forumId, forumId), eq(decisions.postId, postId)))
    .orderBy(desc(decisions.revision), desc(decisions.decidedAt))
    .limit(1);
  return row && inForce(row.decision, row.review);
}

function inForce(decision: Decision, review: LatestReview | null): VerdictInForce {
  return {
    ...verdictData(decision),
    action: review?.action ?? decision.action,
    decided_action: decision.action,
    review: review && {
      outcome: review.outcome,
      action: review.action,
      previous_action: review.previous_action,
      reviewer: review.reviewer,
      // The same name the verdict.updated callback gives it.
      reviewed_at: review.created_at,
      labels: review.labels,
    },
  };
}

/**
 * The verdict in force for the revision a submission created (its newest decision, with the
 * newest review's action when a moderator reviewed it): what a replayed `?wait` request answers.
 */
export async function findVerdictForSubmission(db: DbOrTx, submissionId: string): Promise<VerdictInForce | undefined> {
  const [row] = await db
    .select({ decision: decisions, review: latestReviewSql })
    .from(decisions)
    .innerJoin(revisions, eq(revisions.id, decisions.revisionId))
    .where(eq(revisions.submissionId, submissionId))
    .orderBy(desc(decisions.decidedAt))
    .limit(1);
  return row && inForce(row.decision, row.review);
}

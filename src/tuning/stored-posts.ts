import { and, desc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { type Action, type Decision, decisions, type Review, reviews, revisions } from '../db/schema/index.ts';
import type { PolicyId } from '../moderation/types.ts';

export interface StoredPost {
  forumId: string;
  postId: string;
  revision: number;
  body: string;
  title: string | null;
  format: 'text' | 'markdown' | 'html';
  /** The newest decision of this revision. */
  decision: Decision;
  /** The newest moderator review of that decision, if any. */
  review: {
    outcome: Review['outcome'];
    action: Action;
    labels: PolicyId[];
    reviewer: string;
    note: string | null;
    created_at: string;
  } | null;
}

/**
 * Revisions of a forum received since `since` whose text is still stored, each with its newest
 * decision and newest review: what replay re-scores and what labels export writes out.
 */
export async function storedPosts(db: DbOrTx, forumId: string, opts: { since?: Date; reviewedOnly?: boolean }): Promise<StoredPost[]> {
  const newestReview = sql<StoredPost['review']>`(
    select json_build_object('outcome', r.outcome, 'action', r.action, 'labels', r.labels, 'reviewer', r.reviewer, 'note', r.note, 'created_at', r.created_at)
    from reviews r where r.decision_id = ${decisions.id} order by r.created_at desc limit 1)`;
  const rows = await db
    .selectDistinctOn([revisions.id], { revision: revisions, decision: decisions, review: newestReview })
    .from(revisions)
    .innerJoin(decisions, eq(decisions.revisionId, revisions.id))
    .where(
      and(
        eq(revisions.forumId, forumId),
        isNotNull(revisions.body),
        opts.since ? gte(revisions.receivedAt, opts.since) : undefined,
        opts.reviewedOnly ? sql`exists (select 1 from ${reviews} r where r.decision_id = ${decisions.id})` : undefined,
      ),
    )
    .orderBy(revisions.id, desc(decisions.decidedAt));
  return rows
    .map(({ revision, decision, review }) => ({
      forumId: revision.forumId,
      postId: revision.postId,
      revision: revision.revision,
      body: revision.body ?? '',
      title: revision.title,
      format: revision.format,
      decision,
      review,
    }))
    .sort((a, b) => a.decision.decidedAt.getTime() - b.decision.decidedAt.getTime());
}

import { and, asc, eq, inArray, not, or, sql } from 'drizzle-orm';
import type { ForumScope } from '../auth/api-keys.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Action } from '../db/schema/index.ts';
import { decisions, reviewClaims } from '../db/schema/index.ts';
import { decodeCursor, encodeCursor } from '../decisions/cursor.ts';
import {
  type DecisionSummary,
  filterConditions,
  forumCondition,
  latestReviewSql,
  type Page,
  summarise,
} from '../decisions/list-decisions.ts';
import { inOpenThreadAlert } from '../members/thread-alerts.ts';
import type { PolicyId } from '../moderation/types.ts';

export interface QueueItem extends DecisionSummary {
  claim: { claimed_by: string; expires_at: string; mine: boolean } | null;
}

/**
 * Decisions a moderator still has to look at: the newest decision of a post that was sent to
 * review or held, or is urgent, and that nobody has reviewed. Urgent first, then oldest
 * first, so a member in crisis is never behind a backlog. Decisions someone else has
 * claimed are left out unless asked for.
 */
export async function reviewQueue(
  db: DbOrTx,
  scope: ForumScope,
  opts: {
    forumId?: string;
    keyId: string;
    includeClaimed: boolean;
    limit: number;
    cursor?: string;
    /** Only decisions that flagged this policy. */
    policy?: PolicyId;
    action?: Action;
    /**
     * Leave out decisions that belong to an open thread alert (they are one thread item, see
     * src/members/thread-alerts.ts); urgent ones always stay.
     */
    groupThreads?: boolean;
  },
): Promise<Page<QueueItem>> {
  const conditions = [
    forumCondition(scope, opts.forumId),
    awaitingReview(),
    ...filterConditions({ policy: opts.policy, action: opts.action }),
  ];
  if (opts.groupThreads) conditions.push(or(eq(decisions.urgent, true), not(inOpenThreadAlert(decisions.id))));
  if (!opts.includeClaimed) {
    conditions.push(
      sql`not exists (select 1 from review_claims c where c.decision_id = ${decisions.id} and c.expires_at > now() and c.key_id <> ${opts.keyId})`,
    );
  }
  if (opts.cursor) {
    const after = decodeCursor(opts.cursor);
    conditions.push(
      sql`(not ${decisions.urgent}, ${decisions.decidedAt}, ${decisions.id}) > (select not d.urgent, d.decided_at, d.id from decisions d where d.id = ${after})`,
    );
  }
  const rows = await db
    .select({ decision: decisions, review: latestReviewSql, claim: reviewClaims })
    .from(decisions)
    .leftJoin(reviewClaims, and(eq(reviewClaims.decisionId, decisions.id), sql`${reviewClaims.expiresAt} > now()`))
    .where(and(...conditions))
    .orderBy(sql`not ${decisions.urgent}`, asc(decisions.decidedAt), asc(decisions.id))
    .limit(opts.limit + 1);
  const items = rows.slice(0, opts.limit).map(({ decision, review, claim }) => ({
    ...summarise(decision, review),
    claim: claim ? { claimed_by: claim.claimedBy, expires_at: claim.expiresAt.toISOString(), mine: claim.keyId === opts.keyId } : null,
  }));
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > opts.limit && last ? encodeCursor(last.id) : null };
}

/** Seconds the oldest urgent decision still awaiting a moderator has waited since its post was accepted; null when none. */
export async function oldestUrgentAge(db: DbOrTx, scope: ForumScope, forumId?: string): Promise<number | null> {
  const [row] = await db
    .select({ oldest: sql<string | null>`min((select v.received_at from revisions v where v.id = ${decisions.revisionId}))` })
    .from(decisions)
    .where(and(forumCondition(scope, forumId), eq(decisions.urgent, true), awaitingReview()));
  return row?.oldest ? Math.max(0, Math.round((Date.now() - new Date(row.oldest).getTime()) / 1000)) : null;
}

/** The queue's rule, shared with the backlog figures in stats. */
export function awaitingReview() {
  return and(
    or(inArray(decisions.action, ['review', 'hold']), eq(decisions.urgent, true)),
    sql`not exists (select 1 from reviews r where r.decision_id = ${decisions.id})`,
    // A newer revision (or a re-score) supersedes this decision.
    sql`not exists (select 1 from decisions n where n.forum_id = ${decisions.forumId} and n.post_id = ${decisions.postId}
      and (n.revision, n.decided_at) > (${decisions.revision}, ${decisions.decidedAt}))`,
  );
}

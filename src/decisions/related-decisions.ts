import { and, desc, eq, ne } from 'drizzle-orm';
import type { ForumScope } from '../auth/api-keys.ts';
import { assertInScope } from '../auth/forum-scope.ts';
import type { DbOrTx } from '../db/client.ts';
import { decisions, revisions } from '../db/schema/index.ts';
import { latestReviewSql, summarise } from './list-decisions.ts';

/** Other posts of a thread Hearth has decided: each post's newest decision, newest first. */
export async function threadDecisions(db: DbOrTx, forumId: string, threadId: string, exceptPostId: string, limit = 20) {
  const rows = await db
    .selectDistinctOn([decisions.postId], {
      decision_id: decisions.id,
      post_id: decisions.postId,
      author_id: revisions.authorId,
      action: decisions.action,
      decidedAt: decisions.decidedAt,
    })
    .from(decisions)
    .innerJoin(revisions, eq(revisions.id, decisions.revisionId))
    .where(and(eq(decisions.forumId, forumId), eq(revisions.threadId, threadId), ne(decisions.postId, exceptPostId)))
    .orderBy(decisions.postId, desc(decisions.decidedAt))
    .limit(200);
  return rows
    .sort((a, b) => b.decidedAt.getTime() - a.decidedAt.getTime())
    .slice(0, limit)
    .map(({ decidedAt, ...r }) => ({ ...r, decided_at: decidedAt.toISOString() }));
}

/**
 * An author's decisions in one forum, newest first: what a moderator can see of a member's
 * history from decisions alone. A forum outside the key's scope is a 404.
 */
export async function authorDecisions(db: DbOrTx, scope: ForumScope, forumId: string, authorId: string, limit = 100) {
  assertInScope(scope, forumId, `forum ${forumId}`);
  const rows = await db
    .select({ decision: decisions, review: latestReviewSql, authorName: revisions.authorName })
    .from(decisions)
    .innerJoin(revisions, eq(revisions.id, decisions.revisionId))
    .where(and(eq(decisions.forumId, forumId), eq(revisions.authorId, authorId)))
    .orderBy(desc(decisions.decidedAt), desc(decisions.id))
    .limit(limit);
  return {
    authorName: rows.find((r) => r.authorName)?.authorName ?? null,
    items: rows.map((r) => summarise(r.decision, r.review)),
  };
}

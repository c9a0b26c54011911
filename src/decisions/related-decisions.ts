import { and, desc, eq, ne } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { decisions, revisions } from '../db/schema/index.ts';

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
 * What a decision carries beyond its action: the author's escalation standing when decided, and
 * the remedy (redacted text, a message for the author, a suggested crisis reply). Call after the
 * decision was found within the reader's forums.
 */
export async function decisionExtras(db: DbOrTx, decisionId: string) {
  const [row] = await db
    .select({ remedy: decisions.remedy, escalation: decisions.escalation })
    .from(decisions)
    .where(eq(decisions.id, decisionId));
  return { remedy: row?.remedy ?? null, escalation: row?.escalation ?? null };
}

import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { decisions, revisions } from '../db/schema/index.ts';
import { type VerdictData, verdictData } from './verdict-payload.ts';

/** The verdict for the post's newest revision (the newest decision of it, if re-scored). */
export async function latestVerdict(db: DbOrTx, forumId: string, postId: string): Promise<VerdictData | undefined> {
  const [row] = await db
    .select()
    .from(decisions)
    .where(and(eq(decisions.forumId, forumId), eq(decisions.postId, postId)))
    .orderBy(desc(decisions.revision), desc(decisions.decidedAt))
    .limit(1);
  return row ? verdictData(row) : undefined;
}

/** The newest verdict stored for the revision a submission created. */
export async function findVerdictForSubmission(db: DbOrTx, submissionId: string): Promise<VerdictData | undefined> {
  const [row] = await db
    .select({ decision: decisions })
    .from(decisions)
    .innerJoin(revisions, eq(revisions.id, decisions.revisionId))
    .where(eq(revisions.submissionId, submissionId))
    .orderBy(desc(decisions.decidedAt))
    .limit(1);
  return row ? verdictData(row.decision) : undefined;
}

import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { forums } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { storedPosts } from './stored-posts.ts';

/** One reviewed post in the dataset format of datasets/forum-posts.dev.jsonl. */
export interface LabelledLine {
  id: string;
  text: string;
  labels: string[];
  format?: 'markdown' | 'html';
  note: string;
}

/**
 * Moderator reviews as a labelled dataset: one line per reviewed revision whose text is still
 * stored, labelled with the policies the newest review says truly apply. Read in a read-only
 * transaction. Ids are `post@revision`, unique within a forum.
 */
export async function exportLabels(db: Db, forumId: string, since?: Date): Promise<{ lines: LabelledLine[] }> {
  const posts = await db.transaction(
    async (tx) => {
      const [forum] = await tx.select({ id: forums.id }).from(forums).where(eq(forums.id, forumId));
      if (!forum) throw new AppError('forum_not_found', `forum ${forumId} does not exist; see npx hearth forums list`);
      return storedPosts(tx, forumId, { since, reviewedOnly: true });
    },
    { accessMode: 'read only' },
  );
  const lines = posts.flatMap((p): LabelledLine[] => {
    if (!p.review) return [];
    const note = `moderator ${p.review.outcome === 'confirm' ? 'confirmed' : 'overrode'} ${p.decision.action}${p.review.outcome === 'override' ? ` → ${p.review.action}` : ''} (${p.review.reviewer})${p.review.note ? `: ${p.review.note}` : ''}`;
    return [
      {
        id: `${p.postId}@${p.revision}`,
        text: p.body,
        labels: p.review.labels,
        ...(p.format === 'text' ? {} : { format: p.format }),
        note,
      },
    ];
  });
  return { lines };
}

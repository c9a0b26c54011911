import { createHash, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log.ts';
import type { Db } from '../db/client.ts';
import { decisions, deliveries, forums, posts, reviews, revisions, threadAlerts } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { withoutLlmQuotes, withoutQuotedText } from '../privacy/purge-expired-text.ts';

export interface ForgetResult {
  forum_id: string;
  /** What the author's id was replaced with everywhere it was stored. */
  author_hash: string;
  posts: number;
  revisions: number;
  decisions: number;
  reviews: number;
  deliveries: number;
  thread_alerts: number;
  /** Submission ids of the author's revisions, so the caller can drop their queued jobs too. */
  submission_ids: string[];
}

/**
 * Erases a member from a forum, in one transaction: the text of their posts (body, title,
 * metadata, name), the words quoted as evidence from them in decisions and callbacks, redacted
 * bodies, and moderators' review notes about their posts; and their id, wherever it is stored,
 * becomes a hash with a fresh random salt that is not kept, so it cannot be linked back to them
 * nor to another erasure. Scores, offsets, content hashes and the audit chain stay (audit events
 * hold ids and hashes, never text or author ids), so the chain verifies afterwards; the
 * `author_forgotten` event records the hash and the counts. 404 for an author with no posts.
 */
export async function forgetAuthor(db: Db, forumId: string, authorId: string, opts: { actor: string }): Promise<ForgetResult> {
  const hash = `forgotten_${createHash('sha256').update(randomBytes(32)).update(`${forumId}\u0000${authorId}`).digest('hex').slice(0, 32)}`;
  return db.transaction(async (tx) => {
    const [forum] = await tx.select({ id: forums.id }).from(forums).where(eq(forums.id, forumId));
    if (!forum) throw new AppError('forum_not_found', `forum ${forumId} does not exist; see npx hearth forums list`);
    // No decision can be stored for the author while their rows change.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`forget:${forumId}:${authorId}`}, 0))`);
    const theirPosts = await tx
      .update(posts)
      .set({ authorId: hash, updatedAt: new Date() })
      .where(and(eq(posts.forumId, forumId), eq(posts.authorId, authorId)))
      .returning({ postId: posts.postId });
    const theirRevisions = await tx
      .update(revisions)
      .set({ authorId: hash, authorName: null, body: null, title: null, metadata: {}, purgedAt: new Date() })
      .where(and(eq(revisions.forumId, forumId), eq(revisions.authorId, authorId)))
      .returning({ id: revisions.id, submissionId: revisions.submissionId });
    if (theirPosts.length === 0 && theirRevisions.length === 0) {
      throw new AppError('not_found', `no author ${authorId} in forum ${forumId}`);
    }
    const revisionIds = theirRevisions.map((r) => r.id);
    const theirDecisions = revisionIds.length
      ? await tx.execute(sql`update ${decisions} d set author_id = ${hash},
            policies = ${withoutQuotedText(sql`d.policies`)},
            llm = ${withoutLlmQuotes(sql`d.llm`)},
            remedy = case when d.remedy is null then null else jsonb_set(d.remedy, '{redacted_body}', 'null'::jsonb) end
          where d.forum_id = ${forumId} and d.revision_id in (${sql.join(
            revisionIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})
          returning d.id`)
      : [];
    const decisionIds = (theirDecisions as unknown as Array<{ id: string }>).map((d) => d.id);
    let reviewCount = 0;
    let deliveryCount = 0;
    if (decisionIds.length > 0) {
      const inDecisions = sql.join(
        decisionIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      );
      const noted = await tx
        .update(reviews)
        .set({ note: null })
        .where(sql`${reviews.decisionId} in (${inDecisions}) and ${reviews.note} is not null`)
        .returning({ id: reviews.id });
      reviewCount = noted.length;
      const changed = (await tx.execute(sql`update ${deliveries} v set payload = s.payload
        from (select id, case
                when payload->>'type' = 'discourse.action' and payload->'data'->'request' ? 'message'
                  then jsonb_set(payload, '{data,request,message}', '"Hearth held this post for review."'::jsonb)
                when payload->>'type' = 'alert.urgent'
                  then jsonb_set(payload, '{data,author_id}', to_jsonb(${hash}::text))
                when payload ? 'data' and payload->'data' ? 'policies'
                  then jsonb_set(
                    case when payload->'data' ? 'redacted_body' then jsonb_set(payload, '{data,redacted_body}', 'null'::jsonb) else payload end,
                    '{data,policies}', ${withoutQuotedText(sql`payload->'data'->'policies'`)})
                else payload end as payload
              from ${deliveries} where decision_id in (${inDecisions})) s
        where v.id = s.id and v.payload is distinct from s.payload
        returning v.id`)) as unknown as unknown[];
      deliveryCount = changed.length;
    }
    const alerts = await tx
      .update(threadAlerts)
      .set({ targetAuthorId: hash })
      .where(and(eq(threadAlerts.forumId, forumId), eq(threadAlerts.targetAuthorId, authorId)))
      .returning({ id: threadAlerts.id });
    // thread.alert callbacks name the member a pile-on was aimed at.
    await tx.execute(sql`update ${deliveries} set payload = jsonb_set(payload, '{data,target_author_id}', to_jsonb(${hash}::text))
      where forum_id = ${forumId} and payload->>'type' = 'thread.alert' and payload->'data'->>'target_author_id' = ${authorId}`);
    const result: ForgetResult = {
      forum_id: forumId,
      author_hash: hash,
      posts: theirPosts.length,
      revisions: theirRevisions.length,
      decisions: decisionIds.length,
      reviews: reviewCount,
      deliveries: deliveryCount,
      thread_alerts: alerts.length,
      submission_ids: theirRevisions.map((r) => r.submissionId),
    };
    const { submission_ids: _, forum_id: __, ...counts } = result;
    await appendAuditEvent(tx, { forumId, type: 'author_forgotten', actor: opts.actor, subjectId: hash, payload: counts });
    return result;
  });
}

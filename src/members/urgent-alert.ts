import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type Decision, deliveries } from '../db/schema/index.ts';
import { insertDelivery } from '../deliveries/insert-delivery.ts';

/**
 * Makes sure an urgent decision has its `alert.urgent` callback: the forum's signal to get a
 * human to the member now, with the suggested reply. Idempotent (one per decision, checked
 * under a lock on the decision), so the worker runs it after every store, retries included,
 * and an alert is not lost when a process dies between the decision and the alert. Returns
 * the delivery to queue, or null when there is none to send (not urgent, already there, or no callback).
 */
export async function ensureUrgentAlert(
  db: Db,
  decision: Decision,
  post: { threadId?: string | null; authorId: string },
): Promise<string | null> {
  if (!decision.urgent) return null;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`urgent-alert:${decision.id}`}, 0))`);
    const [existing] = await tx
      .select({ id: deliveries.id, status: deliveries.status })
      .from(deliveries)
      .where(and(eq(deliveries.decisionId, decision.id), eq(deliveries.eventType, 'alert.urgent')));
    if (existing) return existing.status === 'pending' ? existing.id : null;
    return insertDelivery(tx, {
      forumId: decision.forumId,
      decisionId: decision.id,
      eventType: 'alert.urgent',
      payload: {
        type: 'alert.urgent',
        data: {
          forum_id: decision.forumId,
          post_id: decision.postId,
          revision: decision.revision,
          decision_id: decision.id,
          thread_id: post.threadId ?? null,
          author_id: post.authorId,
          action: decision.action,
          language: decision.language,
          suggested_reply: decision.remedy?.suggested_reply ?? null,
          decided_at: decision.decidedAt.toISOString(),
        },
      },
    });
  });
}

import { eq } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log.ts';
import type { Db } from '../db/client.ts';
import { deliveries } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { insertDelivery } from './insert-delivery.ts';

/**
 * Sends a finished delivery again, as a new delivery with the same payload, its own
 * webhook-id and a fresh attempt budget, linked to the original. A delivery still being
 * retried is left alone.
 */
export async function redeliver(db: Db, deliveryId: string, actor: string): Promise<{ deliveryId: string; webhookId: string }> {
  return db.transaction(async (tx) => {
    const [original] = await tx.select().from(deliveries).where(eq(deliveries.id, deliveryId)).for('update');
    if (!original) throw new AppError('not_found', `no delivery ${deliveryId}`);
    if (original.status === 'pending') throw new AppError('conflict', 'this delivery is still being attempted; wait for it to finish');
    const copyId = await insertDelivery(tx, {
      forumId: original.forumId,
      decisionId: original.decisionId,
      eventType: original.eventType as 'verdict.created' | 'verdict.updated',
      payload: original.payload,
      redeliveryOf: original.id,
    });
    if (!copyId) {
      throw new AppError('conflict', `forum ${original.forumId} has no active callback URL; set one with npx hearth forums update`);
    }
    const [copy] = await tx.select({ webhookId: deliveries.webhookId }).from(deliveries).where(eq(deliveries.id, copyId));
    await appendAuditEvent(tx, {
      forumId: original.forumId,
      type: 'redelivery_requested',
      actor,
      subjectId: copyId,
      payload: { delivery_id: copyId, redelivery_of: original.id, decision_id: original.decisionId, webhook_id: copy?.webhookId ?? null },
    });
    return { deliveryId: copyId, webhookId: copy?.webhookId ?? '' };
  });
}

/** The forum a delivery belongs to, for scope checks; undefined when there is none. */
export async function deliveryForum(db: Db, deliveryId: string): Promise<string | undefined> {
  const [row] = await db.select({ forumId: deliveries.forumId }).from(deliveries).where(eq(deliveries.id, deliveryId));
  return row?.forumId;
}

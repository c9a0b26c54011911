import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { deliveries, forums } from '../db/schema/index.ts';

export interface NewDelivery {
  forumId: string;
  /** For a thread.alert, the decision that raised it; for an alert.urgent, the urgent decision. */
  decisionId: string;
  /** verdict.*: a signed callback to the forum; discourse.action: a request to the forum's Discourse API. */
  eventType: 'verdict.created' | 'verdict.updated' | 'discourse.action' | 'thread.alert' | 'alert.urgent';
  payload: Record<string, unknown>;
  redeliveryOf?: string;
}

/**
 * Stores a callback to send, in the caller's transaction, so it exists if and only if what it
 * reports does. Null when the forum has no callback URL or its callback is disabled. The
 * caller queues the id after commit; the deliver sweep catches any it could not.
 */
export async function insertDelivery(tx: Tx, delivery: NewDelivery): Promise<string | null> {
  if (delivery.eventType !== 'discourse.action') {
    const [forum] = await tx
      .select({ callbackUrl: forums.callbackUrl, disabledAt: forums.callbackDisabledAt })
      .from(forums)
      .where(eq(forums.id, delivery.forumId));
    if (!forum?.callbackUrl || forum.disabledAt) return null;
  }
  const { id, webhookId } = newDeliveryIds();
  await tx.insert(deliveries).values({
    id,
    webhookId,
    forumId: delivery.forumId,
    decisionId: delivery.decisionId,
    eventType: delivery.eventType,
    payload: delivery.payload,
    redeliveryOf: delivery.redeliveryOf ?? null,
  });
  return id;
}

/** A new delivery's id and its webhook-id, stable across retries so the forum can drop duplicates (Standard Webhooks). */
export function newDeliveryIds(): { id: string; webhookId: string } {
  const id = randomUUID();
  return { id, webhookId: `msg_${id.replaceAll('-', '')}` };
}

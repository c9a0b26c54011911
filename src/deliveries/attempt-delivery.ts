import { and, eq, sql } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log.ts';
import type { Db } from '../db/client.ts';
import { deliveries, deliveryAttempts, forums } from '../db/schema/index.ts';
import { integrationsSchema } from '../engines/engine.ts';
import { postJson } from '../webhooks/post-json.ts';
import { signedHeaders } from '../webhooks/standard-webhooks.ts';
import { readDelivery, recordAttempt } from './delivery-batches.ts';

export type AttemptOutcome = 'succeeded' | 'retry' | 'failed' | 'gone' | 'cancelled' | 'skipped';

export interface AttemptOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /**
   * Attempts a delivery gets in all. Counted from the stored row, not the job, so a delivery
   * that the sweep queues again keeps its count and its budget.
   */
  maxAttempts: number;
}

export interface AttemptResult {
  outcome: AttemptOutcome;
  /** 1-based number of this attempt. */
  attempt?: number;
  statusCode?: number;
  error?: string;
  /** The delivery's forum, once known (its sealer is nudged after an audited attempt). */
  forumId?: string;
}

/**
 * Sends one delivery once and records the attempt. Every retry reuses the delivery's
 * `webhook-id`, so a forum can drop duplicates. A 410 Gone disables the forum's callback.
 */
export async function attemptDelivery(db: Db, deliveryId: string, opts: AttemptOptions): Promise<AttemptResult> {
  const row = await readDelivery(db, deliveryId);
  if (row?.delivery.status !== 'pending') return { outcome: 'skipped' };
  const { delivery, forum } = row;

  const target = targetOf(delivery, forum);
  if ('cancel' in target) {
    await db
      .update(deliveries)
      .set({ status: 'cancelled', completedAt: new Date(), lastError: target.cancel })
      .where(and(eq(deliveries.id, deliveryId), eq(deliveries.status, 'pending')));
    return { outcome: 'cancelled' };
  }

  const attempt = delivery.attempts + 1;
  const lastAttempt = attempt >= opts.maxAttempts;
  const startedAt = new Date();
  let statusCode: number | undefined;
  let error: string | undefined;
  let latencyMs = 0;
  try {
    const res = await postJson(target.url, target.body, target.headers, opts);
    statusCode = res.status;
    latencyMs = res.latencyMs;
  } catch (err) {
    error = (err as Error).message.slice(0, 500);
    latencyMs = Date.now() - startedAt.getTime();
  }

  const ok = statusCode !== undefined && statusCode >= 200 && statusCode < 300;
  // Only the forum's own endpoint can say its callback is gone.
  const gone = statusCode === 410 && target.isCallback;
  const outcome: AttemptOutcome = ok ? 'succeeded' : gone ? 'gone' : lastAttempt ? 'failed' : 'retry';
  if (!ok && !error) error = `HTTP ${statusCode}`;

  const finished = outcome !== 'retry';
  const audited = ok || outcome === 'failed';
  if (!gone) {
    // The common case in one statement, shared with the attempts of other jobs that reach this
    // point in the same turn (see delivery-batches.ts).
    const auditPayload = { webhook_id: delivery.webhookId, decision_id: delivery.decisionId, attempt, status_code: statusCode ?? null };
    await recordAttempt(db, {
      deliveryId,
      attempt,
      statusCode: statusCode ?? null,
      latencyMs,
      error: error ?? null,
      startedAt,
      status: finished ? (ok ? 'succeeded' : 'failed') : 'pending',
      audit: audited ? { forumId: forum.id, type: ok ? 'delivered' : 'delivery_failed', payload: auditPayload } : null,
    });
    return { outcome, attempt, statusCode, error, forumId: forum.id };
  }

  await db.transaction(async (tx) => {
    await tx
      .insert(deliveryAttempts)
      .values({ deliveryId, attempt, statusCode: statusCode ?? null, latencyMs, error: error ?? null, startedAt });
    await tx
      .update(deliveries)
      .set({
        attempts: sql`${deliveries.attempts} + 1`,
        lastStatusCode: statusCode ?? null,
        lastError: error ?? null,
        lastAttemptAt: startedAt,
        ...(finished ? { status: ok ? 'succeeded' : 'failed', completedAt: new Date() } : {}),
      })
      .where(and(eq(deliveries.id, deliveryId), eq(deliveries.status, 'pending')));
    if (ok || outcome === 'failed') {
      await appendAuditEvent(tx, {
        forumId: forum.id,
        type: ok ? 'delivered' : 'delivery_failed',
        actor: 'system',
        subjectId: deliveryId,
        payload: {
          webhook_id: delivery.webhookId,
          decision_id: delivery.decisionId,
          attempt,
          status_code: statusCode ?? null,
        },
      });
    }
    if (gone) {
      await tx
        .update(forums)
        .set({ callbackDisabledAt: new Date(), callbackDisabledReason: `callback answered 410 Gone (delivery ${delivery.webhookId})` })
        .where(eq(forums.id, forum.id));
      await appendAuditEvent(tx, {
        forumId: forum.id,
        type: 'callback_disabled',
        actor: 'system',
        subjectId: forum.id,
        payload: { webhook_id: delivery.webhookId, callback_url: forum.callbackUrl, status_code: 410 },
      });
    }
  });
  return { outcome, attempt, statusCode, error, forumId: forum.id };
}

type Target = { url: string; body: string; headers: Record<string, string>; isCallback: boolean } | { cancel: string };

/**
 * Where a delivery goes: a verdict to the forum's callback URL, signed with its callback
 * secret; a Discourse action to the forum's Discourse API as its staff user.
 */
function targetOf(delivery: typeof deliveries.$inferSelect, forum: typeof forums.$inferSelect): Target {
  if (delivery.eventType === 'discourse.action') {
    const settings = integrationsSchema.safeParse(forum.integrations);
    const discourse = settings.success ? settings.data.discourse : undefined;
    if (!discourse?.base_url || !discourse.api_key) return { cancel: 'the forum no longer has a Discourse URL and API key' };
    const data = delivery.payload.data as { request?: unknown } | undefined;
    return {
      url: `${discourse.base_url.replace(/\/+$/, '')}/post_actions.json`,
      body: JSON.stringify(data?.request ?? {}),
      headers: { 'Api-Key': discourse.api_key, 'Api-Username': discourse.api_username ?? 'system' },
      isCallback: false,
    };
  }
  if (!forum.callbackUrl || forum.callbackDisabledAt) return { cancel: 'forum callback disabled or removed' };
  const body = JSON.stringify(delivery.payload);
  return { url: forum.callbackUrl, body, headers: { ...signedHeaders(forum.callbackSecret, delivery.webhookId, body) }, isCallback: true };
}

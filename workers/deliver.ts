import { type Job, UnrecoverableError } from 'bullmq';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../src/context.ts';
import { describeDatabaseError } from '../src/db/database-error.ts';
import { deliveries } from '../src/db/schema/index.ts';
import { attemptDelivery } from '../src/deliveries/attempt-delivery.ts';
import { sendCheckpoint } from '../src/deliveries/send-checkpoint.ts';
import {
  checkpointJobSchema,
  type DeliverQueueData,
  deliverJobSchema,
  JOB_CHECKPOINT,
  JOB_DELIVER,
  JOB_PURGE_TEXT,
  JOB_SWEEP,
} from '../src/jobs/payloads.ts';
import { purgeExpiredText } from '../src/privacy/purge-expired-text.ts';

/** Thrown to make BullMQ retry with backoff; the attempt itself is already stored. */
class RetryDelivery extends Error {
  override name = 'RetryDelivery';
}

export function createDeliverProcessor(ctx: AppContext) {
  return async function deliver(job: Job<DeliverQueueData>): Promise<unknown> {
    if (job.name === JOB_SWEEP) return requeueStrandedDeliveries(ctx);
    if (job.name === JOB_CHECKPOINT) {
      const parsed = checkpointJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`invalid checkpoint payload: ${parsed.error.issues[0]?.message}`);
      const result = await sendCheckpoint(ctx, parsed.data.checkpointId);
      if (result.outcome === 'retry') throw new RetryDelivery(result.error ?? 'checkpoint delivery failed');
      return result;
    }
    if (job.name === JOB_PURGE_TEXT) {
      const purged = await purgeExpiredText(ctx.database.db);
      if (purged.length > 0) ctx.log.info({ purged }, 'purged post text past retention');
      return { purged };
    }
    const parsed = deliverJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid deliver payload: ${parsed.error.issues[0]?.message}`);
    const result = await attemptDelivery(ctx.database.db, parsed.data.deliveryId, {
      timeoutMs: ctx.config.callbacks.timeoutMs,
      allowPrivate: ctx.config.callbacks.allowPrivate,
      maxAttempts: job.opts.attempts ?? ctx.config.callbacks.attempts,
    }).catch((err: unknown) => {
      // Rethrown without the query's parameters, which hold the verdict and its evidence.
      const { code, message } = describeDatabaseError(err);
      throw new Error(`database error${code ? ` ${code}` : ''}: ${message}`);
    });
    const attempt = result.attempt;
    if (result.forumId && (result.outcome === 'succeeded' || result.outcome === 'failed')) ctx.audit.sealer.nudge(result.forumId);
    ctx.metrics.deliveryAttempts.inc({ outcome: result.outcome });
    ctx.log.info(
      { delivery_id: parsed.data.deliveryId, attempt, outcome: result.outcome, status_code: result.statusCode },
      'delivery attempt',
    );
    if (result.outcome === 'succeeded' && parsed.data.acceptedAt) {
      ctx.metrics.crisisLane.observe({ stage: 'delivered' }, Math.max(0, (Date.now() - Date.parse(parsed.data.acceptedAt)) / 1000));
    }
    if (result.outcome === 'retry') throw new RetryDelivery(result.error ?? 'delivery failed');
    return { outcome: result.outcome, status_code: result.statusCode };
  };
}

/**
 * A delivery row is committed before its job is queued. If a process dies between the two,
 * or Redis loses the job, this periodic sweep queues pending deliveries again; job ids equal
 * delivery ids, so deliveries that still have a job are left alone.
 */
export async function requeueStrandedDeliveries(ctx: AppContext, olderThanMs = 60_000): Promise<{ requeued: number }> {
  const stranded = await ctx.database.db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.status, 'pending'), lt(deliveries.createdAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`)))
    .limit(1000);
  let requeued = 0;
  for (const { id } of stranded) {
    // A crisis-lane delivery's job lives on the lane's queue; it must not get a second job here.
    const existing = (await ctx.queues.deliverUrgent.getJob(id)) ?? (await ctx.queues.deliver.getJob(id));
    if (existing) {
      // A live job will deliver it; a finished one left the row pending, so it must go again.
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed') continue;
      await existing.remove();
    }
    await ctx.queues.deliver.add(JOB_DELIVER, { deliveryId: id }, { jobId: id });
    requeued++;
  }
  if (requeued > 0) ctx.log.warn({ requeued }, 'requeued stranded deliveries');
  return { requeued };
}

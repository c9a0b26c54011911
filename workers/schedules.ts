import type { AppContext } from '../src/context.ts';
import { JOB_PURGE_TEXT, JOB_SWEEP } from '../src/jobs/payloads.ts';
import { requeueStrandedDeliveries } from './deliver.ts';

/** Creates (or updates) the deliver queue's periodic jobs: the stranded-delivery sweep and the retention purge. */
export async function upsertSchedules(ctx: AppContext): Promise<void> {
  const { deliver } = ctx.queues;
  await deliver.upsertJobScheduler(JOB_SWEEP, { every: ctx.config.sweepIntervalMs }, { name: JOB_SWEEP, data: {} });
  await deliver.upsertJobScheduler(JOB_PURGE_TEXT, { every: ctx.config.purgeIntervalMs }, { name: JOB_PURGE_TEXT, data: {} });
}

/**
 * Schedules live in Redis. A Redis that restarts empty (no persistence, a failover to a fresh
 * replica, a FLUSHALL) loses them, and with them every queued delivery job, while the workers
 * reconnect and carry on as if nothing happened. So the schedules are checked every
 * `config.schedulesCheckMs`: when they are gone they are created again and every pending
 * delivery is queued again at once (a delivery's job id is its id, so one still queued is not
 * doubled). Returns the function that stops the checks.
 */
export function keepSchedules(ctx: AppContext): () => void {
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      if (await ctx.queues.deliver.getJobScheduler(JOB_SWEEP)) return;
      ctx.log.warn({}, 'delivery schedules missing from Redis (restarted empty?); creating them and requeueing pending deliveries');
      await upsertSchedules(ctx);
      await requeueStrandedDeliveries(ctx, 0);
    } catch (err) {
      // Redis or PostgreSQL still down: the next check tries again.
      ctx.log.warn({ err: (err as Error).message }, 'could not check the delivery schedules');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void check(), ctx.config.schedulesCheckMs);
  timer.unref();
  return () => clearInterval(timer);
}

import { Hono } from 'hono';
import type { AppContext } from '../../context.ts';
import { QUEUE_DELIVER, QUEUE_DELIVER_URGENT, QUEUE_LLM, QUEUE_MODERATE, QUEUE_MODERATE_URGENT } from '../../jobs/payloads.ts';
import type { HttpEnv } from '../env.ts';

const CHECK_TIMEOUT_MS = 1000;

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);
}

/** Liveness, readiness and Prometheus metrics for operators and orchestrators. */
export function operationsRoutes(ctx: AppContext) {
  const app = new Hono<HttpEnv>();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const [redis, postgres] = await Promise.allSettled([
      within(ctx.redis.ping(), CHECK_TIMEOUT_MS),
      within(
        ctx.database.sql`select 1`.then(() => 'ok'),
        CHECK_TIMEOUT_MS,
      ),
    ]);
    const checks = {
      redis: redis.status === 'fulfilled' ? 'ok' : `unavailable: ${(redis.reason as Error).message}`,
      postgres: postgres.status === 'fulfilled' ? 'ok' : `unavailable: ${(postgres.reason as Error).message}`,
    };
    const ready = redis.status === 'fulfilled' && postgres.status === 'fulfilled';
    return c.json({ status: ready ? 'ready' : 'unavailable', checks }, ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    await within(sampleQueues(ctx), CHECK_TIMEOUT_MS).catch(() => {
      // Queue gauges keep their last values when Redis is down; the rest still reports.
    });
    return c.text(await ctx.metrics.registry.metrics(), 200, { 'content-type': ctx.metrics.registry.contentType });
  });

  return app;
}

async function sampleQueues(ctx: AppContext): Promise<void> {
  for (const [name, queue] of [
    [QUEUE_MODERATE, ctx.queues.moderate],
    [QUEUE_DELIVER, ctx.queues.deliver],
    [QUEUE_LLM, ctx.queues.llm],
    // The crisis lane's depth: its posts waiting for a decision and its callbacks waiting to go.
    [QUEUE_MODERATE_URGENT, ctx.queues.moderateUrgent],
    [QUEUE_DELIVER_URGENT, ctx.queues.deliverUrgent],
  ] as const) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
    for (const [state, n] of Object.entries(counts)) ctx.metrics.queueDepth.set({ queue: name, state }, n);
    const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
    ctx.metrics.queueOldestAge.set({ queue: name }, oldest ? (Date.now() - oldest.timestamp) / 1000 : 0);
  }
}

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries } from '../../src/db/schema/index.ts';
import { JOB_PURGE_TEXT, JOB_SWEEP } from '../../src/jobs/payloads.ts';
import { eventually } from '../support/eventually.ts';
import { deleteQueueKeys, type Harness, startHarness } from '../support/harness.ts';
import { seedDecision } from '../support/seed.ts';

/**
 * Redis coming back empty under running workers (no persistence, a fresh replica): its
 * schedules and queued delivery jobs are gone. The workers notice, recreate the schedules and
 * queue every pending delivery again, with no restart.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    workers: true,
    // The first callback fails; its retry waits a minute, so it is still waiting when Redis is emptied.
    receiver: [503],
    config: { schedulesCheckMs: 200, callbacks: { backoffMs: 60_000 } },
  });
});
afterAll(() => h.close());

describe('Redis restarted empty', () => {
  it('recreates the sweep and purge schedules and delivers what was pending, without a worker restart', async () => {
    expect(await h.ctx.queues.deliver.getJobScheduler(JOB_SWEEP)).toBeDefined();
    const decision = await seedDecision(h.ctx, { action: 'review', flagged: [{ policy: 'hostility', score: 0.6 }] });
    await h.receiver.waitForCalls(1);

    // Everything under the queue prefix goes: schedules, the delayed retry, the lot.
    await deleteQueueKeys(h.config);
    expect(await h.ctx.queues.deliver.getJobScheduler(JOB_SWEEP)).toBeUndefined();

    const calls = await h.receiver.waitForCalls(2, 15_000);
    expect(calls[1]?.status).toBe(200);
    expect(await h.ctx.queues.deliver.getJobScheduler(JOB_SWEEP)).toBeDefined();
    expect(await h.ctx.queues.deliver.getJobScheduler(JOB_PURGE_TEXT)).toBeDefined();
    await eventually(async () => {
      const [row] = await h.ctx.database.db.select().from(deliveries).where(eq(deliveries.decisionId, decision.id));
      return row?.status === 'succeeded';
    });
    // The same webhook-id both times: the forum can tell the retry from a new verdict.
    expect(calls[1]?.headers['webhook-id']).toBe(calls[0]?.headers['webhook-id']);
  });
});

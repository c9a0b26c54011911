import { afterEach, describe, expect, it } from 'vitest';
import { requeueStrandedDeliveries } from '../../workers/deliver.ts';
import { startWorkers } from '../../workers/index.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { decidedOnce } from '../support/queues.ts';
import { Receiver } from '../support/receiver.ts';
import { scoreAndRecord } from '../support/seed.ts';

// Outages (Redis and PostgreSQL going away) and SIGTERM to a real service process are in
// tests/e2e/outages.test.ts: they need processes of their own and run with `npm run test:e2e`.

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  cleanups = [];
});

describe('stranded deliveries', () => {
  it('the sweep queues a pending delivery whose job was lost', async () => {
    const receiver = await new Receiver().start();
    cleanups.push(() => receiver.stop());
    const h: Harness = await startHarness({ workers: true, callbackUrl: receiver.url });
    cleanups.push(() => h.close());
    const post = { ...samplePost(), format: 'text' as const };
    // Stored as a worker would, but the process "died" before queueing the delivery.
    const recorded = await scoreAndRecord(h.ctx, post);
    expect(recorded.pendingDeliveryIds).toHaveLength(1);
    expect(await requeueStrandedDeliveries(h.ctx, 60_000)).toEqual({ requeued: 0 });
    expect(await requeueStrandedDeliveries(h.ctx, 0)).toEqual({ requeued: 1 });
    const [call] = await receiver.waitForCalls(1);
    expect(JSON.parse(call?.body ?? '{}').data.decision_id).toBe(recorded.decision.id);
    // A second sweep finds the delivery done and queues nothing.
    await eventually(async () => (await requeueStrandedDeliveries(h.ctx, 0)).requeued === 0, 5000, 'delivery to finish');
  });
});

describe('graceful shutdown', () => {
  it('closing workers lets an active job finish', async () => {
    const h = await startHarness();
    cleanups.push(() => h.close());
    let finished = false;
    let started!: () => void;
    const jobStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    let closeCalled!: () => void;
    const closing = new Promise<void>((resolve) => {
      closeCalled = resolve;
    });
    const workers = await startWorkers(h.ctx, {
      queues: ['moderate'],
      moderateProcessor: async () => {
        started();
        // Still running when close() is called, and for a while after: close has to wait for it.
        await closing;
        await new Promise((r) => setTimeout(r, 400));
        finished = true;
        return 'done';
      },
    });
    const { submission_id } = (await (await h.submit(samplePost())).json()) as { submission_id: string };
    await jobStarted;
    const closed = workers.close(5000);
    closeCalled();
    await closed;
    expect(finished).toBe(true);
    expect(await (await h.ctx.queues.moderate.getJob(submission_id))?.getState()).toBe('completed');
  });

  it('close(timeoutMs) returns soon after the timeout when a job never finishes, and the job runs again elsewhere', async () => {
    const h = await startHarness();
    cleanups.push(() => h.close());
    let taken = 0;
    const hung = await startWorkers(h.ctx, {
      queues: ['moderate'],
      moderateProcessor: () => {
        taken++;
        return new Promise<never>(() => {});
      },
    });
    const post = samplePost('Slept badly again; the new mattress has not helped yet.');
    const { submission_id } = (await (await h.submit(post)).json()) as { submission_id: string };
    await eventually(() => taken === 1, 15_000, 'the job taken by the hung processor');

    const startedAt = Date.now();
    const closing = hung.close(500).then(() => 'returned');
    const outcome = await Promise.race([closing, new Promise((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000))]);
    expect(outcome).toBe('returned');
    // The timeout, then at most the one-second grace for the connections, with room for a busy machine.
    expect(Date.now() - startedAt).toBeLessThan(500 + 1000 + 1500);

    // Nothing lost: the hung job's lock expires and a live worker's stalled-job check runs it again.
    h.workers = await startWorkers(h.ctx, { queues: ['moderate'] });
    expect(await decidedOnce(h.ctx, post.id, submission_id)).toBe('completed');
  });
});

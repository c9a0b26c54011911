import type { ChildProcess } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { decisions, deliveries } from '../../src/db/schema/index.ts';
import { startWorkers } from '../../workers/index.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { killed, spawnTsx } from '../support/hearth-process.ts';
import { queuesDrained } from '../support/queues.ts';
import { Receiver } from '../support/receiver.ts';

function spawnWorker(h: Harness, stage: 'start' | 'after-commit'): { child: ChildProcess; output: () => string } {
  return spawnTsx(['tests/support/worker-child.ts', JSON.stringify({ config: h.config, stage })]);
}

let h: Harness | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await h?.close();
  await receiver?.stop();
});

describe('a worker killed in the middle of a job', () => {
  for (const stage of ['start', 'after-commit'] as const) {
    it(`the job completes exactly once after another worker picks it up (killed at ${stage})`, async () => {
      receiver = await new Receiver().start();
      h = await startHarness({ callbackUrl: receiver.url });
      const worker = spawnWorker(h, stage);
      const post = samplePost('You are a pathetic liar and everyone here knows it.');
      await eventually(() => worker.output().includes('READY'), 20_000, `child worker ready: ${worker.output()}`);
      expect((await h.submit(post)).status).toBe(202);
      await eventually(() => worker.output().includes('ACTIVE'), 10_000, 'the child to take the job');
      await killed(worker.child);

      if (stage === 'after-commit') {
        // The decision is stored but its delivery was never queued: the dangerous gap.
        expect(await h.ctx.database.db.select().from(decisions).where(eq(decisions.postId, post.id))).toHaveLength(1);
        expect(await h.ctx.queues.deliver.getJobCounts('waiting', 'delayed', 'active')).toMatchObject({
          waiting: 0,
          delayed: 0,
          active: 0,
        });
      }

      // A healthy worker finds the stalled job once its lock expires and finishes it.
      h.workers = await startWorkers(h.ctx);
      await receiver.waitForCalls(1, 20_000);
      // Once nothing is left to run, a second callback could only have come before now.
      await queuesDrained(h.ctx);
      expect(receiver.calls).toHaveLength(1);
      const rows = await h.ctx.database.db.select().from(decisions).where(eq(decisions.postId, post.id));
      expect(rows).toHaveLength(1);
      const [delivery] = await h.ctx.database.db
        .select()
        .from(deliveries)
        .where(eq(deliveries.decisionId, rows[0]?.id ?? ''));
      expect(JSON.parse(receiver.calls[0]?.body ?? '{}').data.decision_id).toBe(rows[0]?.id);
      await eventually(async () => (await h?.ctx.queues.moderate.getJobCounts('completed'))?.completed === 1, 5000, 'job completed');
      expect(delivery).toBeDefined();
    });
  }
});

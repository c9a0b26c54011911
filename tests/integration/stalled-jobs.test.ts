import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../workers/index.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { decidedOnce } from '../support/queues.ts';

/**
 * A post whose workers die under it again and again (processes killed mid-job) is still decided:
 * BullMQ fails a job that stalls more than `maxStalledCount` times, and a failed moderate job is
 * an accepted post that is never decided. The fault suite met this with workers killed every 3 s.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { workers: { lockDurationMs: 400, stalledIntervalMs: 200 } } });
});
afterAll(() => h.close());

describe('a job whose workers keep dying', () => {
  it('is decided after its worker died under it five times', async () => {
    const post = samplePost('Pacing myself this week; the flare is easing.');
    const { submission_id } = (await (await h.submit(post)).json()) as { submission_id: string };
    let taken = 0;
    for (let death = 1; death <= 5; death++) {
      // A worker takes the job and hangs, then its process "dies": forced closed, lock left to expire.
      const doomed = await startWorkers(h.ctx, {
        queues: ['moderate'],
        moderateProcessor: () => {
          taken++;
          return new Promise<never>(() => {});
        },
      });
      await eventually(() => taken === death, 15_000, `the job taken for the ${death}th time`);
      // Forced at once: the job is left active, its lock no longer renewed.
      await Promise.all(doomed.workers.map((w) => w.close(true)));
    }
    h.workers = await startWorkers(h.ctx, { queues: ['moderate'] });
    expect(await decidedOnce(h.ctx, post.id, submission_id)).toBe('completed');
  });
});

import { eq } from 'drizzle-orm';
import type { AppContext } from '../../src/context.ts';
import { decisions } from '../../src/db/schema/index.ts';
import { eventually } from './eventually.ts';

/**
 * Waits until no job is waiting, running or due for a retry in any queue: everything sent so
 * far has been decided and every callback it causes has been answered. The queues are read in
 * pipeline order (both lanes' moderate, then llm, then both lanes' deliver) because a job queues its downstream work
 * before it finishes; an empty later queue, read after the earlier ones were empty, means
 * nothing more is on its way. Callbacks the test expects NOT to see are then absent for good,
 * with no sleep to guess how long they might take.
 */
export function queuesDrained(ctx: AppContext, timeoutMs = 15_000): Promise<true> {
  return eventually(
    async () => {
      const { moderateUrgent, moderate, llm, deliverUrgent, deliver } = ctx.queues;
      for (const queue of [moderateUrgent, moderate, llm, deliverUrgent, deliver]) {
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
        if (Object.values(counts).some((n) => n > 0)) return false;
        // The workers' schedulers (delivery sweep, text purge) always have their next run
        // waiting in the delayed set; only other delayed jobs, retries, are unfinished work.
        if ((await queue.getDelayed()).some((job) => !job.repeatJobKey)) return false;
      }
      return true;
    },
    timeoutMs,
    'every queue to drain',
  );
}

/**
 * Waits until a post has its one decision, then answers its moderate job's state: for a job that
 * a worker left stalled, a live worker's stalled-job check must have run it again to completion.
 */
export async function decidedOnce(ctx: AppContext, postId: string, submissionId: string): Promise<string | undefined> {
  await eventually(
    async () => (await ctx.database.db.select().from(decisions).where(eq(decisions.postId, postId))).length === 1,
    20_000,
    `the decision of post ${postId}`,
  );
  return (await ctx.queues.moderate.getJob(submissionId))?.getState();
}

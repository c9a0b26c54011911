import type { Queues } from '../jobs/queues.ts';

/**
 * Removes finished or waiting moderation jobs of erased posts from Redis: they hold the post as
 * it was sent, kept a day after finishing to absorb duplicates. A job still running is left to
 * finish (its decision is then erased on the next `forget`). Returns how many were removed.
 */
export async function dropQueuedPosts(
  queues: Pick<Queues, 'moderate' | 'moderateUrgent'>,
  submissionIds: readonly string[],
): Promise<number> {
  let removed = 0;
  for (const id of submissionIds) {
    for (const queue of [queues.moderate, queues.moderateUrgent]) {
      const job = await queue.getJob(id);
      if (!job || (await job.isActive())) continue;
      await job.remove();
      removed++;
    }
  }
  return removed;
}

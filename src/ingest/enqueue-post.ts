import { createHash } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import type { ModerateJob, PostInput } from '../jobs/payloads.ts';
import { contentHash, submissionId } from './submission.ts';

export interface IngestDeps {
  queue: Queue<ModerateJob>;
  redis: Redis;
  prefix: string;
  /** Redis must answer within this, or ingest gives up with 503. */
  timeoutMs: number;
  webhookIdTtlSeconds: number;
}

export interface Accepted {
  submission_id: string;
  status: 'queued';
}

interface RememberedWebhook {
  answer: Accepted;
  body_sha256: string;
}

/**
 * Queues a verified post for moderation, touching only Redis. A repeated `webhook-id` gets
 * its first answer back; repeated content gets the same job id, which BullMQ absorbs.
 */
export async function enqueuePost(
  deps: IngestDeps,
  forumId: string,
  post: PostInput,
  delivery: { webhookId: string; rawBody: string; receivedAt: Date; onlyPolicies?: ModerateJob['onlyPolicies'] },
): Promise<{ accepted: Accepted; job?: Job<ModerateJob>; replayed: boolean }> {
  const bodySha = createHash('sha256').update(delivery.rawBody).digest('hex');
  const key = `${deps.prefix}:webhook-id:${forumId}:${delivery.webhookId}`;
  const remembered = await withDeadline(deps.redis.get(key), deps.timeoutMs);
  if (remembered) {
    const prior = JSON.parse(remembered) as RememberedWebhook;
    if (prior.body_sha256 !== bodySha) {
      throw new AppError('conflict', 'this webhook-id was already used for a different body; use a new id per message');
    }
    return { accepted: prior.answer, replayed: true };
  }

  const hash = contentHash(post);
  const id = submissionId(forumId, post.id, hash);
  const payload: ModerateJob = {
    forumId,
    submissionId: id,
    contentHash: hash,
    receivedAt: delivery.receivedAt.toISOString(),
    webhookId: delivery.webhookId,
    post,
    ...(delivery.onlyPolicies ? { onlyPolicies: delivery.onlyPolicies } : {}),
  };
  const job = await withDeadline(deps.queue.add('moderate', payload, { jobId: id }), deps.timeoutMs);
  const accepted: Accepted = { submission_id: id, status: 'queued' };
  const memo: RememberedWebhook = { answer: accepted, body_sha256: bodySha };
  // Best effort after the job is safely queued: if this write fails the forum's retry is
  // still absorbed by the job id.
  await withDeadline(deps.redis.set(key, JSON.stringify(memo), 'EX', deps.webhookIdTtlSeconds, 'NX'), deps.timeoutMs).catch(() => {});
  return { accepted, job, replayed: false };
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('queue_unavailable', 'the queue is unavailable; retry later')), ms);
  });
  return Promise.race([work, deadline])
    .catch((err: unknown) => {
      if (err instanceof AppError) throw err;
      throw new AppError('queue_unavailable', 'the queue is unavailable; retry later', { cause: err });
    })
    .finally(() => clearTimeout(timer));
}

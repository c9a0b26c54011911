import { createHash } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import type { Lane, ModerateJob, PostInput, UrgentModerateJob } from '../jobs/payloads.ts';
import { contentHash, submissionId } from './submission.ts';

export interface IngestDeps {
  queue: Queue<ModerateJob>;
  /** The crisis lane's queue, for posts `mayBeCrisis` picks out. */
  urgentQueue: Queue<UrgentModerateJob>;
  /** The crisis check of the policy set in force; absent when the lane is off. */
  mayBeCrisis?: (post: PostInput) => boolean;
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
 * its first answer back, also when the two arrive at once; repeated content gets the same job
 * id, which BullMQ absorbs.
 */
export async function enqueuePost(
  deps: IngestDeps,
  forumId: string,
  post: PostInput,
  delivery: { webhookId: string; rawBody: string; receivedAt: Date; onlyPolicies?: ModerateJob['onlyPolicies'] },
): Promise<{ accepted: Accepted; job?: Job<ModerateJob>; lane: Lane; replayed: boolean }> {
  const bodySha = createHash('sha256').update(delivery.rawBody).digest('hex');
  const key = `${deps.prefix}:webhook-id:${forumId}:${delivery.webhookId}`;
  const hash = contentHash(post);
  const id = submissionId(forumId, post.id, hash);
  const accepted: Accepted = { submission_id: id, status: 'queued' };
  const memo: RememberedWebhook = { answer: accepted, body_sha256: bodySha };

  // After validation, before queueing: a possible crisis goes to its own lane. The check is
  // deterministic, so a repeated send goes to the same lane under the same job id; should the
  // policy set change in between, the decision's unique key still allows one decision.
  const lane: Lane = deps.mayBeCrisis?.(post) ? 'urgent' : 'ordinary';
  const payload: ModerateJob = {
    forumId,
    submissionId: id,
    contentHash: hash,
    receivedAt: delivery.receivedAt.toISOString(),
    webhookId: delivery.webhookId,
    post,
    ...(delivery.onlyPolicies ? { onlyPolicies: delivery.onlyPolicies } : {}),
    ...(lane === 'urgent' ? { lane } : {}),
  };
  const queue = (): Promise<Job<ModerateJob>> =>
    lane === 'urgent'
      ? deps.urgentQueue.add('moderate', { ...payload, lane: 'urgent' }, { jobId: id })
      : deps.queue.add('moderate', payload, { jobId: id });

  // The webhook-id is claimed before anything is queued, in one atomic SET NX: of two
  // requests racing with one id, exactly one queues; the other gets its answer back, or a
  // conflict when its body differs. The answer can be given up front because the submission
  // id is derived from the content.
  const claimed = await withDeadline(deps.redis.set(key, JSON.stringify(memo), 'EX', deps.webhookIdTtlSeconds, 'NX'), deps.timeoutMs);
  if (claimed === null) {
    const remembered = await withDeadline(deps.redis.get(key), deps.timeoutMs);
    const prior = remembered ? (JSON.parse(remembered) as RememberedWebhook) : memo;
    if (prior.body_sha256 !== bodySha) {
      throw new AppError('conflict', 'this webhook-id was already used for a different body; use a new id per message');
    }
    // Queue it again under the same job id: a no-op while the job exists, and the repair when
    // the first request claimed the id but died (or lost Redis) before queueing.
    await withDeadline(queue(), deps.timeoutMs);
    return { accepted: prior.answer, lane, replayed: true };
  }

  try {
    const job = await withDeadline(queue(), deps.timeoutMs);
    return { accepted, job, lane, replayed: false };
  } catch (err) {
    // Not queued: give the id back so the forum's retry is queued rather than answered.
    await withDeadline(deps.redis.del(key), deps.timeoutMs).catch(() => {});
    throw err;
  }
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

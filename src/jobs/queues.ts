import { type JobsOptions, Queue, type QueueOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { CAPPED_EXPONENTIAL } from './backoff.ts';
import {
  type DeliverJob,
  type DeliverQueueData,
  type LlmJob,
  type ModerateJob,
  QUEUE_DELIVER,
  QUEUE_DELIVER_URGENT,
  QUEUE_LLM,
  QUEUE_MODERATE,
  QUEUE_MODERATE_URGENT,
  type UrgentModerateJob,
} from './payloads.ts';

export interface Queues {
  moderate: Queue<ModerateJob>;
  deliver: Queue<DeliverQueueData>;
  llm: Queue<LlmJob>;
  /** The crisis lane: possible crises, and the callbacks of lane posts and urgent decisions. */
  moderateUrgent: Queue<UrgentModerateJob>;
  deliverUrgent: Queue<DeliverJob>;
  close(): Promise<void>;
}

export const moderateJobOptions = {
  // With the workers' capped backoff (1 s doubling to 5 min) this rides out about four
  // hours of PostgreSQL outage before a job lands in the failed set.
  attempts: 60,
  backoff: { type: CAPPED_EXPONENTIAL },
  // Finished jobs are kept a day so duplicates are absorbed by job id; the decision's
  // unique key absorbs any that arrive later.
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} satisfies JobsOptions;

export interface QueueSettings {
  prefix: string;
  deliveryAttempts: number;
  deliveryBackoffMs: number;
}

/**
 * Producers share one connection that fails fast when Redis is down (no offline queue), so
 * ingest can answer 503 instead of hanging.
 */
export function createQueues(connection: Redis, settings: QueueSettings): Queues {
  const base: QueueOptions = { connection, prefix: settings.prefix };
  const moderate = new Queue<ModerateJob>(QUEUE_MODERATE, { ...base, defaultJobOptions: moderateJobOptions });
  const deliveryJobOptions = {
    attempts: settings.deliveryAttempts,
    backoff: { type: 'exponential', delay: settings.deliveryBackoffMs, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 100_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  } satisfies JobsOptions;
  const deliver = new Queue<DeliverQueueData>(QUEUE_DELIVER, { ...base, defaultJobOptions: deliveryJobOptions });
  // Separate queues rather than BullMQ priorities: a priority only reorders waiting jobs, while
  // the lane needs workers that are never all busy with the backlog (and BullMQ takes jobs
  // without a priority before every prioritised one).
  const moderateUrgent = new Queue<UrgentModerateJob>(QUEUE_MODERATE_URGENT, { ...base, defaultJobOptions: moderateJobOptions });
  const deliverUrgent = new Queue<DeliverJob>(QUEUE_DELIVER_URGENT, { ...base, defaultJobOptions: deliveryJobOptions });
  // LLM failures end in a fallback decision inside the job; retries are for database errors.
  const llm = new Queue<LlmJob>(QUEUE_LLM, { ...base, defaultJobOptions: moderateJobOptions });
  return {
    moderate,
    deliver,
    llm,
    moderateUrgent,
    deliverUrgent,
    close: async () => {
      await Promise.allSettled([moderate.close(), deliver.close(), llm.close(), moderateUrgent.close(), deliverUrgent.close()]);
    },
  };
}

import { type JobsOptions, Queue, type QueueOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { CAPPED_EXPONENTIAL } from './backoff.ts';
import { type DeliverQueueData, type LlmJob, type ModerateJob, QUEUE_DELIVER, QUEUE_LLM, QUEUE_MODERATE } from './payloads.ts';

export interface Queues {
  moderate: Queue<ModerateJob>;
  deliver: Queue<DeliverQueueData>;
  llm: Queue<LlmJob>;
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
  const deliver = new Queue<DeliverQueueData>(QUEUE_DELIVER, {
    ...base,
    defaultJobOptions: {
      attempts: settings.deliveryAttempts,
      backoff: { type: 'exponential', delay: settings.deliveryBackoffMs, jitter: 0.5 },
      removeOnComplete: { age: 24 * 3600, count: 100_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  // LLM failures end in a fallback decision inside the job; retries are for database errors.
  const llm = new Queue<LlmJob>(QUEUE_LLM, { ...base, defaultJobOptions: moderateJobOptions });
  return {
    moderate,
    deliver,
    llm,
    close: async () => {
      await Promise.allSettled([moderate.close(), deliver.close(), llm.close()]);
    },
  };
}

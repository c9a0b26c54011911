import { type Job, type Processor, Worker } from 'bullmq';
import type { AppContext } from '../src/context.ts';
import { cappedExponentialBackoff } from '../src/jobs/backoff.ts';
import { QUEUE_DELIVER, QUEUE_DELIVER_URGENT, QUEUE_LLM, QUEUE_MODERATE, QUEUE_MODERATE_URGENT } from '../src/jobs/payloads.ts';
import { followPublications } from '../src/policies/active-policies.ts';
import { createDeliverProcessor } from './deliver.ts';
import { createLlmProcessor } from './llm.ts';
import { createModerateProcessor } from './moderate.ts';
import { keepSchedules, upsertSchedules } from './schedules.ts';

export interface RunningWorkers {
  workers: Worker[];
  /**
   * Stops taking jobs and waits up to `timeoutMs` for active ones; past that, cuts the workers'
   * connections (their jobs run again elsewhere) and returns within about a second more.
   */
  close(timeoutMs?: number): Promise<void>;
}

export interface StartWorkersOptions {
  /** Replaces the moderate processor (tests use it to simulate a worker dying mid-job). */
  moderateProcessor?: Processor;
  /** The workers to run; defaults to `config.workers.queues`. `urgent` is the crisis lane (its two queues). */
  queues?: WorkerRole[];
}

export type WorkerRole = typeof QUEUE_MODERATE | typeof QUEUE_DELIVER | typeof QUEUE_LLM | 'urgent';

export async function startWorkers(ctx: AppContext, options: StartWorkersOptions = {}): Promise<RunningWorkers> {
  const { config, log, metrics } = ctx;
  const wanted = options.queues ?? config.workers.queues;
  const common = {
    connection: ctx.workerRedisOptions,
    prefix: config.queuePrefix,
    lockDuration: config.workers.lockDurationMs,
    stalledInterval: config.workers.stalledIntervalMs,
    maxStalledCount: config.workers.maxStalledCount,
    settings: { backoffStrategy: cappedExponentialBackoff(1000, 5 * 60_000) },
  };
  const workers: Worker[] = [];
  if (wanted.includes(QUEUE_MODERATE)) {
    const processor = options.moderateProcessor ?? createModerateProcessor(ctx);
    workers.push(new Worker(QUEUE_MODERATE, processor, { ...common, concurrency: config.workers.moderateConcurrency }));
  }
  if (wanted.includes(QUEUE_DELIVER)) {
    workers.push(new Worker(QUEUE_DELIVER, createDeliverProcessor(ctx), { ...common, concurrency: config.workers.deliverConcurrency }));
    await upsertSchedules(ctx);
  }
  if (wanted.includes('urgent')) {
    // The crisis lane's reserved capacity: workers that take only lane posts and their
    // callbacks, so the ordinary backlog never has them all busy. Same processors as the rest.
    const concurrency = config.workers.urgentConcurrency;
    const moderate = options.moderateProcessor ?? createModerateProcessor(ctx);
    workers.push(new Worker(QUEUE_MODERATE_URGENT, moderate, { ...common, concurrency }));
    workers.push(new Worker(QUEUE_DELIVER_URGENT, createDeliverProcessor(ctx), { ...common, concurrency }));
  }
  if (wanted.includes(QUEUE_LLM)) {
    // The endpoint's rate limit, shared by every worker through Redis.
    const limiter = { max: config.llm.requestsPerMinute, duration: 60_000 };
    workers.push(new Worker(QUEUE_LLM, createLlmProcessor(ctx), { ...common, concurrency: config.llm.concurrency, limiter }));
  }
  for (const worker of workers) {
    const observe = (outcome: string) => (job: Job | undefined) => {
      if (job?.processedOn && job.finishedOn)
        metrics.jobDuration.observe({ queue: worker.name, outcome }, (job.finishedOn - job.processedOn) / 1000);
    };
    worker.on('completed', observe('completed'));
    worker.on('failed', (job, err) => {
      observe('failed')(job);
      log.warn({ queue: worker.name, job_id: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed');
    });
    worker.on('error', (err) => log.error({ queue: worker.name, err: err.message }, 'worker error'));
  }
  // Follow `hearth publish` without a restart: look for a newer policy set every few seconds.
  const stopFollowing = followPublications(ctx.policies, ctx.database.db, config.policyRefreshMs, log);
  // Seals audit events that no nudge covered (other processes', or left by a crash) and keeps
  // the unsealed-events gauges current.
  const stopSealing = ctx.audit.sealer.start(config.audit.sealIntervalMs);
  // Recreates the schedules (and requeues pending deliveries) should Redis come back empty.
  const stopKeeping = wanted.includes(QUEUE_DELIVER) ? keepSchedules(ctx) : () => {};
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log.info({ queues: wanted, prefix: config.queuePrefix }, 'workers started');

  return {
    workers,
    async close(timeoutMs = config.shutdownTimeoutMs) {
      stopFollowing();
      stopSealing();
      stopKeeping();
      const graceful = Promise.all(workers.map((w) => w.close()));
      if (await settlesWithin(graceful, timeoutMs)) {
        await graceful; // rethrows a close that failed
        return;
      }
      // A job is still running. BullMQ's `close(true)` cannot cut it short: while a graceful
      // close is in progress it returns that same promise, which waits for the job. Instead the
      // workers' Redis connections are cut, so the job's lock is no longer renewed; it expires
      // after `workers.lockDurationMs` and the stalled-job check of a live worker (another
      // process, or this one's successor) moves the job back to waiting and runs it again,
      // up to `workers.maxStalledCount` times. Nothing is lost, and running a job again is safe:
      // a revision gets one decision, and a callback sent again carries its `webhook-id`.
      log.warn({ timeoutMs }, 'workers did not finish in time; disconnecting them, their active jobs will be retried');
      const disconnected = Promise.allSettled(workers.map((w) => w.disconnect()));
      if (!(await settlesWithin(disconnected, FORCED_CLOSE_GRACE_MS))) {
        log.warn({ graceMs: FORCED_CLOSE_GRACE_MS }, 'worker connections did not close in time; no longer waiting for them');
      }
    },
  };
}

/** How long `close` waits for the workers' connections to go, once it has given up on their jobs. */
const FORCED_CLOSE_GRACE_MS = 1000;

/** Whether `promise` settles within `ms`; it is not cancelled when it does not. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

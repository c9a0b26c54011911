import { QueueEvents } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { type AuditKey, deriveAuditKey } from './audit/audit-key.ts';
import { AuditSealer } from './audit/audit-sealer.ts';
import type { Config } from './config/config.ts';
import { createDatabase, type Database } from './db/client.ts';
import { prepareDatabase } from './db/migrate.ts';
import { ForumCache } from './forums/forum-cache.ts';
import { listenForForumChanges } from './forums/forum-changes.ts';
import { JOB_CHECKPOINT, type Lane, QUEUE_MODERATE, QUEUE_MODERATE_URGENT } from './jobs/payloads.ts';
import { createQueues, type Queues } from './jobs/queues.ts';
import { workerRedisOptions } from './jobs/redis-options.ts';
import { CircuitBreaker } from './llm/circuit-breaker.ts';
import type { LlmDeps } from './llm/judge-post.ts';
import { JudgementCache } from './llm/judgement-cache.ts';
import { LlmBudget } from './llm/llm-budget.ts';
import { clientOptions, createLlmClient } from './llm/llm-client.ts';
import type { LocalScorer } from './moderation/local-scorer.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { ActivePolicies } from './policies/active-policies.ts';
import { loadPolicySet, type PolicySet } from './policies/loader.ts';

/** Everything a Hearth process needs, built once at start-up and passed down. */
export interface AppContext {
  config: Config;
  log: Logger;
  metrics: Metrics;
  database: Database;
  /** Producer connection: no offline queue, so calls fail fast while Redis is down. */
  redis: Redis;
  queues: Queues;
  forums: ForumCache;
  /** The policy set in force: the repository's files until a set is published, then the newest published one. */
  policies: ActivePolicies;
  /** Shorthands for `policies.current()`; read both from one `current()` when they must match. */
  readonly policySet: PolicySet;
  readonly scorer: LocalScorer;
  /** The LLM scorer's parts, when OPENAI_API_KEY is set; without it Hearth decides locally. */
  llm?: LlmDeps;
  /** The audit chain's key (when configured) and this process's sealer. */
  audit: { key?: AuditKey; sealer: AuditSealer };
  /** Options for connections that workers and queue listeners create for themselves. */
  workerRedisOptions: RedisOptions;
  /** Completion events of a lane's moderate queue, opened on first use (only `?wait` needs them). */
  moderateEvents(lane?: Lane): QueueEvents;
  close(): Promise<void>;
}

export interface ContextOptions {
  log?: Logger;
  policiesDir?: string;
  /** Skip creating and migrating the database (the caller did it). */
  skipMigrations?: boolean;
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const log = options.log ?? createLogger(config.logLevel);
  if (!options.skipMigrations) await prepareDatabase(config.databaseUrl);
  const policySet = await loadPolicySet(options.policiesDir);
  const database = createDatabase(config.databaseUrl, config.dbPoolSize);
  const redis = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // Keep reconnecting forever with a capped delay; requests fail fast meanwhile.
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  });
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis producer connection error'));
  await readyWithin(redis, 5000);
  const queues = createQueues(redis, {
    prefix: config.queuePrefix,
    deliveryAttempts: config.callbacks.attempts,
    deliveryBackoffMs: config.callbacks.backoffMs,
  });
  const metrics = createMetrics();
  const policies = new ActivePolicies(policySet);
  // A published set outranks the repository's files. With PostgreSQL down the files serve
  // until the workers' next refresh finds it.
  await policies
    .refresh(database.db)
    .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'could not check for a published policy set'));
  const events = new Map<Lane, QueueEvents>();
  const auditKey = config.audit.key ? deriveAuditKey(config.audit.key) : undefined;
  const sealer = new AuditSealer(database.db, {
    key: auditKey,
    checkpointIntervalMs: config.audit.checkpointIntervalMs,
    // Each new checkpoint goes to the forum as a signed callback, retried like a verdict's.
    onCheckpoint: async (checkpoint) => {
      await queues.deliver.add(JOB_CHECKPOINT, { checkpointId: checkpoint.id }, { jobId: `checkpoint-${checkpoint.id}` });
    },
    onError: (err, forumId) => log.warn({ err: err.message, forum_id: forumId }, 'audit sealing failed; the next pass retries'),
    onPending: (pending) => {
      metrics.auditUnsealed.set(pending.count);
      metrics.auditUnsealedOldest.set(pending.oldest_seconds);
    },
  });
  const forums = new ForumCache(database.db, { ttlMs: config.ingest.forumCacheTtlMs, staleMs: config.ingest.forumStaleMs });
  // A forum changed by another process (`hearth forums update`) is dropped from the cache at once.
  const forumChanges = listenForForumChanges(
    workerRedisOptions(config.redisUrl),
    config.queuePrefix,
    (forumId) => forums.invalidate(forumId),
    (err) => log.warn({ err: err.message }, 'forum change listener connection error'),
  );
  return {
    config,
    log,
    metrics,
    database,
    redis,
    queues,
    forums,
    policies,
    get policySet() {
      return policies.current().policySet;
    },
    get scorer() {
      return policies.current().scorer;
    },
    llm: config.llm.apiKey ? createLlmDeps(config, redis) : undefined,
    audit: { key: auditKey, sealer },
    workerRedisOptions: workerRedisOptions(config.redisUrl),
    moderateEvents(lane = 'ordinary') {
      let opened = events.get(lane);
      if (!opened) {
        const name = lane === 'urgent' ? QUEUE_MODERATE_URGENT : QUEUE_MODERATE;
        opened = new QueueEvents(name, { connection: workerRedisOptions(config.redisUrl), prefix: config.queuePrefix });
        opened.on('error', (err) => log.warn({ err: err.message }, 'queue events connection error'));
        events.set(lane, opened);
      }
      return opened;
    },
    async close() {
      forumChanges.close();
      await Promise.all([...events.values()].map((e) => e.close()));
      await queues.close();
      redis.disconnect();
      await database.close();
    },
  };
}

/** Waits for the connection to be ready, but not forever: a process must start while Redis is down. */
function readyWithin(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
  });
}

function createLlmDeps(config: Config, redis: Redis): LlmDeps {
  const { llm } = config;
  return {
    client: createLlmClient(clientOptions(llm)),
    breaker: new CircuitBreaker(llm.breakerThreshold, llm.breakerCooldownMs),
    budget: new LlmBudget(redis, config.queuePrefix),
    cache: new JudgementCache(redis, config.queuePrefix),
    defaults: { calls: llm.dailyCalls, tokens: llm.dailyTokens },
  };
}

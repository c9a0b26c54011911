import { type Env, readEnv } from './env.ts';

/** Typed, environment-independent configuration. Tests build one with `buildConfig({...})`. */
export interface Config {
  databaseUrl: string;
  redisUrl: string;
  http: {
    port: number;
    host: string;
    /** The largest body an API-key route reads (reviews, keys); ingest has its own limit. */
    maxBodyBytes: number;
  };
  logLevel: Env['LOG_LEVEL'];
  queuePrefix: string;
  llm: {
    /** Unset: no LLM; Hearth decides with the local scorer alone. */
    apiKey?: string;
    baseUrl?: string;
    model: string;
    requestsPerMinute: number;
    timeoutMs: number;
    /** Retries inside the SDK for 429 (after Retry-After, when short), 5xx and timeouts. */
    maxRetries: number;
    concurrency: number;
    /** A forum's default daily allowance; a forum may set its own. */
    dailyCalls: number;
    dailyTokens: number;
    /** Failures in a row that open the circuit, and how long it stays open. */
    breakerThreshold: number;
    breakerCooldownMs: number;
  };
  callbacks: {
    allowPrivate: boolean;
    /** Time allowed for one callback request. */
    timeoutMs: number;
    /** Base delay of the exponential backoff between delivery attempts. */
    backoffMs: number;
    attempts: number;
  };
  workers: {
    moderateConcurrency: number;
    deliverConcurrency: number;
    /** Reserved for the crisis lane: this many workers on its moderate queue and on its deliver queue. */
    urgentConcurrency: number;
    /** The workers a process runs; `urgent` is the crisis lane's moderate and deliver workers. */
    queues: Env['HEARTH_WORKER_QUEUES'];
    /** How long a job's lock lives; a dead worker's job is retried after this. */
    lockDurationMs: number;
    stalledIntervalMs: number;
    /**
     * How often a job may lose its worker (a process killed mid-job) before BullMQ fails it. An
     * accepted post must not end in the failed set because its workers died a few times, so this
     * is well above BullMQ's 1; a post that kills every worker that takes it still ends there.
     */
    maxStalledCount: number;
    metricsPort: number;
  };
  ingest: {
    maxBodyBytes: number;
    /** Ingest fails fast with 503 when Redis does not answer within this. */
    queueTimeoutMs: number;
    /** How long a webhook-id is remembered for replay protection. */
    webhookIdTtlSeconds: number;
    /** Send a post that may be a crisis to its own lane (off: one queue for every post). */
    crisisLane: boolean;
    /** Forum records: served from memory this long; while PostgreSQL is down, the last known one for `forumStaleMs`. */
    forumCacheTtlMs: number;
    forumStaleMs: number;
  };
  /** Fixed windows counted in Redis; a limit of 0 turns it off. */
  rateLimits: {
    /** Signed ingest requests per forum (posts and engine webhooks). */
    ingest: { limit: number; windowMs: number };
    /** Dashboard API requests per API key. */
    apiKey: { limit: number; windowMs: number };
  };
  dbPoolSize: number;
  shutdownTimeoutMs: number;
  /** How often pending deliveries with no live job are re-enqueued. */
  sweepIntervalMs: number;
  /** How often workers check that Redis still holds the sweep and purge schedules (see workers/schedules.ts). */
  schedulesCheckMs: number;
  review: {
    /** How long a moderator's claim on a decision keeps others off it. */
    claimMs: number;
  };
  /** How often post text past a forum's retention period is purged. */
  purgeIntervalMs: number;
  /** How often workers look for a newly published policy set. */
  policyRefreshMs: number;
  audit: {
    /**
     * The secret behind the chain's HMAC and the checkpoints' Ed25519 signature. Unset: the
     * chain is plain SHA-256 (tamper-evident only to someone who cannot recompute it) and no
     * checkpoints are sent.
     */
    key?: string;
    /** A forum gets a signed checkpoint of its chain head at most this often. */
    checkpointIntervalMs: number;
    /** How often the sealers look for events nobody nudged them about. */
    sealIntervalMs: number;
  };
}

export function configFromEnv(env: Env): Config {
  return {
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    http: { port: env.PORT, host: env.HOST, maxBodyBytes: 64 * 1024 },
    logLevel: env.LOG_LEVEL,
    queuePrefix: env.HEARTH_QUEUE_PREFIX,
    llm: {
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.HEARTH_LLM_MODEL ?? 'gpt-4o-mini',
      requestsPerMinute: env.HEARTH_LLM_RPM,
      timeoutMs: env.HEARTH_LLM_TIMEOUT_MS,
      maxRetries: 1,
      concurrency: env.HEARTH_LLM_CONCURRENCY,
      dailyCalls: env.HEARTH_LLM_DAILY_CALLS,
      dailyTokens: env.HEARTH_LLM_DAILY_TOKENS,
      breakerThreshold: 5,
      breakerCooldownMs: 30_000,
    },
    callbacks: {
      allowPrivate: env.HEARTH_ALLOW_PRIVATE_CALLBACKS,
      timeoutMs: 10_000,
      // 30 s doubling over 10 attempts spans about 4.3 hours before jitter.
      backoffMs: 30_000,
      attempts: 10,
    },
    workers: {
      moderateConcurrency: env.HEARTH_MODERATE_CONCURRENCY,
      deliverConcurrency: env.HEARTH_DELIVER_CONCURRENCY,
      urgentConcurrency: env.HEARTH_URGENT_CONCURRENCY,
      queues: env.HEARTH_WORKER_QUEUES,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 10,
      metricsPort: env.HEARTH_WORKER_METRICS_PORT,
    },
    ingest: {
      maxBodyBytes: 64 * 1024,
      queueTimeoutMs: 800,
      webhookIdTtlSeconds: 3 * 24 * 3600,
      crisisLane: env.HEARTH_CRISIS_LANE,
      forumCacheTtlMs: 30_000,
      // An hour covers a database upgrade or failover; past it, ingest answers 503 until it is back.
      forumStaleMs: 3_600_000,
    },
    rateLimits: {
      ingest: { limit: env.HEARTH_INGEST_RATE_PER_MINUTE, windowMs: 60_000 },
      apiKey: { limit: env.HEARTH_API_RATE_PER_MINUTE, windowMs: 60_000 },
    },
    dbPoolSize: env.HEARTH_DB_POOL_SIZE,
    shutdownTimeoutMs: env.HEARTH_SHUTDOWN_TIMEOUT_MS,
    sweepIntervalMs: 60_000,
    schedulesCheckMs: 30_000,
    review: { claimMs: 5 * 60_000 },
    purgeIntervalMs: 3_600_000,
    policyRefreshMs: 5_000,
    audit: { key: env.HEARTH_AUDIT_KEY, checkpointIntervalMs: env.HEARTH_AUDIT_CHECKPOINT_SECONDS * 1000, sealIntervalMs: 1_000 },
  };
}

export function loadConfig(): Config {
  return configFromEnv(readEnv());
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A config from defaults (no environment) with overrides, for tests and tools. */
export function buildConfig(overrides: DeepPartial<Config> = {}): Config {
  return withOverrides(configFromEnv(readEnv({})), overrides);
}

/** A copy of `config` with nested overrides applied (sections are merged, not replaced). */
export function withOverrides(config: Config, overrides: DeepPartial<Config>): Config {
  return mergeDeep(config, overrides);
}

function mergeDeep<T>(base: T, over: DeepPartial<T>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' ? mergeDeep(b, v as DeepPartial<typeof b>) : v;
  }
  return out as T;
}

import { z } from 'zod';

/**
 * The only module that reads `process.env`. Everything else receives a typed `Config`
 * built from what this returns, so tests can construct configs without touching the
 * environment.
 */
const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const envSchema = z.object({
  DATABASE_URL: z.url().default('postgres://127.0.0.1:5432/hearth'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  HEARTH_LLM_MODEL: z.string().optional(),
  HEARTH_LLM_RPM: positiveInt(60),
  HEARTH_LLM_TIMEOUT_MS: positiveInt(20_000),
  HEARTH_LLM_CONCURRENCY: positiveInt(4),
  HEARTH_LLM_DAILY_CALLS: positiveInt(2_000),
  HEARTH_LLM_DAILY_TOKENS: positiveInt(3_000_000),
  HEARTH_QUEUE_PREFIX: z.string().min(1).default('hearth'),
  HEARTH_ALLOW_PRIVATE_CALLBACKS: flag,
  HEARTH_MODERATE_CONCURRENCY: positiveInt(8),
  HEARTH_DELIVER_CONCURRENCY: positiveInt(16),
  /** Workers reserved for the crisis lane (its moderate and its deliver queue each get this many). */
  HEARTH_URGENT_CONCURRENCY: positiveInt(2),
  /** Which workers this process runs, comma-separated: moderate, deliver, llm, urgent (the crisis lane). */
  HEARTH_WORKER_QUEUES: z
    .string()
    .default('moderate,deliver,llm,urgent')
    .transform((s) =>
      s
        .split(',')
        .map((q) => q.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['moderate', 'deliver', 'llm', 'urgent'])).min(1)),
  /** 0 turns the crisis lane off at ingest: every post goes to the ordinary queue. */
  HEARTH_CRISIS_LANE: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  /** Signed ingest requests a forum may send per minute (0: no limit); past it, 429 with Retry-After. */
  HEARTH_INGEST_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(30_000),
  /** Dashboard API requests an API key may send per minute (0: no limit). */
  HEARTH_API_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(1_200),
  HEARTH_DB_POOL_SIZE: positiveInt(10),
  HEARTH_SHUTDOWN_TIMEOUT_MS: positiveInt(25_000),
  HEARTH_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Keys the audit chain and signs its checkpoints; kept out of the database (see README, security). */
  HEARTH_AUDIT_KEY: z.string().min(32, 'HEARTH_AUDIT_KEY must be at least 32 characters').optional(),
  HEARTH_AUDIT_CHECKPOINT_SECONDS: positiveInt(600),
});

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

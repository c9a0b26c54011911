import type { Redis } from 'ioredis';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';

// INCR and, for a new window, its expiry, in one round trip and atomically for every API process.
const COUNT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

export interface RateLimit {
  /** Requests allowed per window; 0 turns the limit off. */
  limit: number;
  windowMs: number;
}

/**
 * Counts one request against `subject` in a fixed window shared through Redis, and refuses it
 * with 429 and `Retry-After` (seconds to the window's end) past the limit. When Redis does not
 * answer in time the request is let through: the dashboard API must not depend on Redis, and
 * ingest, which needs Redis anyway, answers 503 when it queues.
 */
export async function takeRate(
  redis: Redis,
  key: string,
  rate: RateLimit,
  opts: { timeoutMs: number; what: string },
  now = Date.now(),
): Promise<void> {
  if (rate.limit <= 0) return;
  const window = Math.floor(now / rate.windowMs);
  let timer: NodeJS.Timeout | undefined;
  const count = await Promise.race([
    redis.eval(COUNT, 1, `${key}:${window}`, String(rate.windowMs * 2)) as Promise<number>,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), opts.timeoutMs);
    }),
  ])
    .catch(() => undefined)
    .finally(() => clearTimeout(timer));
  if (count === undefined || count <= rate.limit) return;
  const retryAfter = Math.max(1, Math.ceil(((window + 1) * rate.windowMs - now) / 1000));
  throw new AppError(
    'rate_limited',
    `${opts.what}: more than ${rate.limit} requests in ${rate.windowMs / 1000} s; retry after ${retryAfter} s`,
    {
      retryAfterSeconds: retryAfter,
    },
  );
}

/** A forum's signed ingest requests (posts and engine webhooks alike), counted per forum. */
export function takeIngestRate(ctx: AppContext, forumId: string): Promise<void> {
  return takeRate(ctx.redis, `${ctx.config.queuePrefix}:rate:ingest:${forumId}`, ctx.config.rateLimits.ingest, {
    timeoutMs: ctx.config.ingest.queueTimeoutMs,
    what: `forum ${forumId} sends too fast`,
  });
}

/** An API key's requests to the dashboard API, counted per key. */
export function takeKeyRate(ctx: AppContext, keyId: string): Promise<void> {
  return takeRate(ctx.redis, `${ctx.config.queuePrefix}:rate:key:${keyId}`, ctx.config.rateLimits.apiKey, {
    timeoutMs: ctx.config.ingest.queueTimeoutMs,
    what: 'this API key sends too fast',
  });
}

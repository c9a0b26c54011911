import { describe, expect, it } from 'vitest';
import { buildConfig, configFromEnv } from '../../../src/config/config.ts';
import { readEnv } from '../../../src/config/env.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = buildConfig();
    expect(config.databaseUrl).toBe('postgres://127.0.0.1:5432/hearth');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.http.port).toBe(8080);
    expect(config.callbacks.allowPrivate).toBe(false);
    // The README's "with Redis down, ingest answers 503 within a second".
    expect(config.ingest.queueTimeoutMs).toBeLessThan(1000);
  });

  it('retries deliveries at least 8 times over hours, even with the most jitter', () => {
    const { attempts, backoffMs } = buildConfig().callbacks;
    expect(attempts).toBeGreaterThanOrEqual(8);
    // BullMQ waits between 50% and 100% of backoff * 2^(n-1) before retry n (jitter 0.5).
    let shortest = 0;
    for (let retry = 1; retry < attempts; retry++) shortest += 0.5 * backoffMs * 2 ** (retry - 1);
    expect(shortest).toBeGreaterThan(2 * 3600 * 1000);
  });

  it('reads and validates the environment', () => {
    const config = configFromEnv(readEnv({ PORT: '9000', HEARTH_ALLOW_PRIVATE_CALLBACKS: '1', REDIS_URL: 'redis://cache:6380/2' }));
    expect(config.http.port).toBe(9000);
    expect(config.callbacks.allowPrivate).toBe(true);
    expect(() => readEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readEnv({ DATABASE_URL: 'nonsense' })).toThrow(/DATABASE_URL/);
  });
});

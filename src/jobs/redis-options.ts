import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connection options for BullMQ workers and event listeners. Given options rather than a
 * client, BullMQ opens and closes its own connections, which blocking commands need.
 * `maxRetriesPerRequest: null` lets a worker ride out a Redis restart instead of crashing.
 */
export function workerRedisOptions(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number(u.pathname.slice(1) || 0),
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * For a command line that touches Redis on the side (announcing a change, dropping queued jobs):
 * one connection attempt of at most two seconds, used and closed; null when Redis does not answer,
 * so the command's own work stands and it can say what it could not do.
 */
export async function withShortLivedRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T | null> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await use(redis);
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}

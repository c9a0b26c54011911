import type { RedisOptions } from 'ioredis';

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

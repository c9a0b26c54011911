import { Redis, type RedisOptions } from 'ioredis';
import { withShortLivedRedis } from '../jobs/redis-options.ts';

/*
 * Every API and worker process caches forum records for `ingest.forumCacheTtlMs`. A change made
 * in another process (`hearth forums update`) is announced on a Redis channel, so each process
 * drops its copy at once instead of serving it until it expires. The time to live stays the bound
 * when an announcement is missed (Redis down, a process reconnecting).
 */

export function forumChangesChannel(queuePrefix: string): string {
  return `${queuePrefix}:forum-changed`;
}

/** Announces that a forum's record changed. Best effort: false when Redis did not answer in time. */
export async function announceForumChange(redisUrl: string, queuePrefix: string, forumId: string): Promise<boolean> {
  const published = await withShortLivedRedis(redisUrl, (redis) => redis.publish(forumChangesChannel(queuePrefix), forumId));
  return published !== null;
}

export interface ForumChangeListener {
  close(): void;
}

/** Calls `onChange` with the id of every forum another process announces as changed. */
export function listenForForumChanges(
  connection: RedisOptions,
  queuePrefix: string,
  onChange: (forumId: string) => void,
  onError: (err: Error) => void,
): ForumChangeListener {
  const channel = forumChangesChannel(queuePrefix);
  // A subscribed connection can do nothing else, so it is its own; it resubscribes on reconnect.
  const subscriber = new Redis({ ...connection, lazyConnect: false });
  subscriber.on('error', onError);
  subscriber.on('message', (from: string, forumId: string) => {
    if (from === channel) onChange(forumId);
  });
  subscriber.subscribe(channel).catch(onError);
  return { close: () => subscriber.disconnect() };
}

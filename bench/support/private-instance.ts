import { randomBytes } from 'node:crypto';
import type { ServerType } from '@hono/node-server';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { buildConfig, type Config, type DeepPartial } from '../../src/config/config.ts';
import { type AppContext, createContext } from '../../src/context.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { closeServer, listen } from '../../src/server.ts';

export interface PrivateInstance {
  /** A random tag for this run, for post ids and webhook-ids. */
  run: string;
  config: Config;
  ctx: AppContext;
  /** Serves the API on a loopback port of its own; closed with the instance. Returns the port. */
  serve(): Promise<number>;
  /** Closes the servers and the context, drops the database and deletes every key under the queue prefix. */
  close(): Promise<void>;
}

/**
 * Hearth on a database and queue prefix of its own (`hearth_bench_<name>_<run>`, created and
 * migrated by the context), for a benchmark run in this process; nothing is left behind.
 */
export async function startPrivateInstance(name: string, settings: DeepPartial<Config> = {}): Promise<PrivateInstance> {
  const run = randomBytes(4).toString('hex');
  const dbName = `hearth_bench_${name}_${run}`;
  const config = buildConfig({
    databaseUrl: `postgres://127.0.0.1:5432/${dbName}`,
    queuePrefix: `hearth-bench-${name}-${run}`,
    logLevel: 'silent',
    ...settings,
  });
  const ctx = await createContext(config, { log: createLogger('silent') });
  const servers: ServerType[] = [];
  return {
    run,
    config,
    ctx,
    async serve() {
      const { server, port } = await listen(createApp(ctx), 0, '127.0.0.1');
      servers.push(server);
      return port;
    },
    async close() {
      for (const server of servers) await closeServer(server, 1000);
      await ctx.close();
      await dropPrivateData(dbName, config.redisUrl, config.queuePrefix);
    },
  };
}

/** Drops a benchmark's database and deletes every Redis key under its queue prefix. */
export async function dropPrivateData(dbName: string, redisUrl: string, queuePrefix: string): Promise<void> {
  const admin = postgres('postgres://127.0.0.1:5432/postgres', { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  } finally {
    await admin.end();
  }
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

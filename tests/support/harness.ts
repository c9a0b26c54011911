import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { buildConfig, type Config, type DeepPartial, withOverrides } from '../../src/config/config.ts';
import { type AppContext, createContext } from '../../src/context.ts';
import { createForum, type ForumSecrets } from '../../src/forums/forums.ts';
import { type App, createApp } from '../../src/http/app.ts';
import { createLogger, type Logger } from '../../src/observability/logger.ts';
import { type RunningWorkers, type StartWorkersOptions, startWorkers } from '../../workers/index.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { Receiver } from './receiver.ts';
import { forumHeaders } from './sign.ts';

type ConfigOverrides = DeepPartial<Config>;

export interface HarnessOptions {
  workers?: boolean | StartWorkersOptions;
  config?: ConfigOverrides;
  /** Create a forum with this callback URL (or none when null). */
  callbackUrl?: string | null;
  /** Start a receiver (answering with these statuses, then 200) and make it the forum's callback. */
  receiver?: number[] | true;
  log?: Logger;
}

export interface Harness {
  ctx: AppContext;
  app: App;
  config: Config;
  database: TestDatabase;
  forum: ForumSecrets;
  workers?: RunningWorkers;
  /** The forum's callback endpoint, when `receiver` was asked for. */
  receiver: Receiver;
  /** POSTs a post signed with the forum's ingest secret. */
  submit(post: unknown, opts?: { id?: string; timestamp?: Date; query?: string; forumId?: string; secret?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Test settings: fast retries and stall detection so failure paths finish in seconds. */
export function testConfig(databaseUrl: string, overrides: ConfigOverrides = {}): Config {
  const defaults = buildConfig({
    databaseUrl,
    queuePrefix: `hearth-test-${randomBytes(4).toString('hex')}`,
    logLevel: 'silent',
    dbPoolSize: 4,
    callbacks: { allowPrivate: true, backoffMs: 40, timeoutMs: 2000 },
    workers: { lockDurationMs: 1500, stalledIntervalMs: 500, moderateConcurrency: 4, deliverConcurrency: 4 },
    shutdownTimeoutMs: 5000,
  });
  return withOverrides(defaults, overrides);
}

/** A database, a queue prefix, a context, the HTTP app and (optionally) workers, all isolated. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const receiver = options.receiver ? await new Receiver(options.receiver === true ? [] : options.receiver).start() : undefined;
  const database = await createTestDatabase();
  const config = testConfig(database.url, options.config);
  const ctx = await createContext(config, { skipMigrations: true, log: options.log ?? createLogger('silent') });
  const app = createApp(ctx);
  const forum = await createForum(
    ctx.database.db,
    { id: 'chronic-pain', callbackUrl: receiver?.url ?? options.callbackUrl ?? undefined },
    { allowPrivate: true, actor: 'test' },
  );
  const workers = options.workers ? await startWorkers(ctx, options.workers === true ? {} : options.workers) : undefined;
  const harness: Harness = {
    ctx,
    app,
    config,
    database,
    forum,
    workers,
    get receiver() {
      if (!receiver) throw new Error('startHarness was not asked for a receiver');
      return receiver;
    },
    submit(post, opts = {}) {
      const body = typeof post === 'string' ? post : JSON.stringify(post);
      const headers = forumHeaders(opts.secret ?? forum.ingest_secret, body, opts);
      return Promise.resolve(
        app.request(`/v1/forums/${opts.forumId ?? forum.id}/posts${opts.query ?? ''}`, { method: 'POST', body, headers }),
      );
    },
    async close() {
      // `this.workers`, not the closure's: a test may start workers of its own after set-up.
      await harness.workers?.close(2000);
      await ctx.close();
      await deleteQueueKeys(config);
      await database.drop();
      await receiver?.stop();
    },
  };
  return harness;
}

/** Removes every Redis key under the test's BullMQ prefix. */
export async function deleteQueueKeys(config: Config): Promise<void> {
  const redis = new Redis(config.redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.queuePrefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

let counter = 0;
/** A fictional post with a unique id. */
export function samplePost(body = 'I take 300 mg gabapentin and the brain fog is awful.', extra: Record<string, unknown> = {}) {
  counter++;
  return { id: `post-${Date.now()}-${counter}`, author: { id: 'u-9', name: 'Sam' }, body, ...extra };
}

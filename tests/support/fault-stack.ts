import { type Config, type DeepPartial, withOverrides } from '../../src/config/config.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { prepareDatabase } from '../../src/db/migrate.ts';
import { createForum, type ForumSecrets } from '../../src/forums/forums.ts';
import { testConfig } from './harness.ts';
import { type PrivatePostgres, type PrivateRedis, startPrivatePostgres, startPrivateRedis } from './private-servers.ts';

export interface FaultStack {
  pg: PrivatePostgres;
  redis: PrivateRedis;
  /** The migrated database's URL on the private PostgreSQL. */
  url: string;
  /** A small pool of the test's own, to read results while the service processes run. */
  db: Database;
  /** The forum every post goes to, calling back to `callbackUrl`. */
  forum: ForumSecrets;
}

/**
 * What a fault suite runs Hearth against: private PostgreSQL and Redis on ports of their own (the
 * suite stops and restarts them), a migrated database and one forum calling back to the test.
 */
export async function startFaultStack(database: string, callbackUrl: string): Promise<FaultStack> {
  const [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  const url = pg.url(database);
  await prepareDatabase(url);
  const db = createDatabase(url, 2);
  const forum = await createForum(db.db, { id: 'chronic-pain', callbackUrl }, { allowPrivate: true, actor: 'test' });
  return { pg, redis, url, db, forum };
}

/**
 * The config a fault suite's Hearth processes share, with the suite's own `overrides` on top.
 * The suites measure faults, not limits, so every post must reach the queue; locks are as a
 * loaded production machine needs them (the unit tests' 1.5 s expire under load, which is a
 * stall without a death), still short enough that killed workers' jobs resume fast.
 */
export function faultConfig(stack: FaultStack, overrides: DeepPartial<Config> = {}): Config {
  const shared = testConfig(stack.url, {
    redisUrl: stack.redis.url,
    logLevel: 'warn',
    rateLimits: { ingest: { limit: 0 }, apiKey: { limit: 0 } },
    workers: { lockDurationMs: 5000, stalledIntervalMs: 2000 },
  });
  return withOverrides(shared, overrides);
}

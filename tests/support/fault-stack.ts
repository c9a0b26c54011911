import { createDatabase, type Database } from '../../src/db/client.ts';
import { prepareDatabase } from '../../src/db/migrate.ts';
import { createForum, type ForumSecrets } from '../../src/forums/forums.ts';
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

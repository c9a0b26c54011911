import { createDatabase, type Database } from '../db/client.ts';
import { prepareDatabase } from '../db/migrate.ts';
import type { Cli } from './cli-io.ts';

/** Runs `work` against the configured database, creating and migrating it first if needed. */
export async function withDatabase<T>(cli: Cli, work: (database: Database, allowPrivateCallbacks: boolean) => Promise<T>): Promise<T> {
  const config = cli.config();
  await prepareDatabase(config.databaseUrl);
  const database = createDatabase(config.databaseUrl, 2);
  try {
    return await work(database, config.callbacks.allowPrivate);
  } finally {
    await database.close();
  }
}

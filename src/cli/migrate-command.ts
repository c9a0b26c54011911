import { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { prepareDatabase } from '../db/migrate.ts';

export function migrateCommand(): Command {
  return new Command('migrate').description('create the database if missing and apply pending migrations').action(async () => {
    await prepareDatabase(loadConfig().databaseUrl);
    process.stdout.write('database is up to date\n');
  });
}

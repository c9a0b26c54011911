import { Command } from 'commander';
import { prepareDatabase } from '../db/migrate.ts';
import type { Cli } from './cli-io.ts';

export function migrateCommand(cli: Cli): Command {
  return new Command('migrate').description('create the database if missing and apply pending migrations').action(async () => {
    await prepareDatabase(cli.config().databaseUrl);
    cli.stdout.write('database is up to date\n');
  });
}

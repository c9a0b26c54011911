import { Command, Option } from 'commander';
import { createApiKey } from '../auth/api-keys.ts';
import { apiKeyRoles } from '../db/schema/index.ts';
import { withDatabase } from './database.ts';
import { print } from './output.ts';

export function keysCommand(): Command {
  const keys = new Command('keys').description('API keys for the dashboard and verdict API');
  keys
    .command('create')
    .addOption(new Option('--role <role>', 'what the key may do').choices(apiKeyRoles).makeOptionMandatory())
    .option('--forum <id...>', 'limit the key to these forums (default: all)')
    .option('--name <name>', 'a label to tell keys apart')
    .option('--expires-in-days <n>', 'expire after this many days', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new Error('--expires-in-days takes a positive whole number');
      return n;
    })
    .option('--json', 'print JSON')
    .description('create an API key and print it (shown once; only its hash is stored)')
    .addHelpText('after', '\nExample:\n  npx hearth keys create --role admin --json')
    .action(
      async (opts: { role: (typeof apiKeyRoles)[number]; forum?: string[]; name?: string; expiresInDays?: number; json?: boolean }) => {
        const { key, record } = await withDatabase(({ db }) =>
          createApiKey(db, {
            role: opts.role,
            forumIds: opts.forum,
            name: opts.name,
            expiresAt: opts.expiresInDays ? new Date(Date.now() + opts.expiresInDays * 86_400_000) : undefined,
          }),
        );
        print(
          {
            key,
            role: record.role,
            ...(record.forumIds ? { forums: record.forumIds } : {}),
            ...(record.expiresAt ? { expires_at: record.expiresAt.toISOString() } : {}),
          },
          Boolean(opts.json),
        );
      },
    );
  return keys;
}

import { Command, InvalidArgumentError, Option } from 'commander';
import { createApiKey, keyStatus, listApiKeys, revokeApiKey } from '../auth/api-keys.ts';
import { type ApiKey, apiKeyRoles } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { durationHint, parseDuration } from '../time/parse-duration.ts';
import type { Cli } from './cli-io.ts';
import { withDatabase } from './database.ts';
import { assertForumExists } from './forum-flags.ts';
import { print, printTable } from './output.ts';

function parseExpiry(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`expected ${durationHint}`);
  return ms;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function describeKey(k: ApiKey): Record<string, unknown> {
  return {
    id: k.id,
    prefix: k.keyPrefix,
    name: k.name,
    role: k.role,
    forums: k.forumIds ?? 'all',
    status: keyStatus(k),
    expires_at: k.expiresAt?.toISOString() ?? null,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    created_at: k.createdAt.toISOString(),
  };
}

export function keysCommand(cli: Cli): Command {
  const keys = new Command('keys').description('API keys for the dashboard and verdict API');
  keys
    .command('create')
    .description('create an API key and print it (shown once; only its hash is stored)')
    .addOption(
      new Option('--role <role>', 'admin: everything; moderator: read and review its forums; auditor: read its forums')
        .choices(apiKeyRoles)
        .makeOptionMandatory(),
    )
    .option('--forum <id>', 'a forum the key may see (repeat for more; required for moderator and auditor)', collect)
    .option('--name <name>', 'who holds it, shown on their reviews')
    .option('--expires <period>', `expire after a period: ${durationHint}`, parseExpiry)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  npx hearth keys create --role admin --json\n  npx hearth keys create --role moderator --forum chronic-pain --name sam --expires 30d --json',
    )
    .action(async (opts: { role: (typeof apiKeyRoles)[number]; forum?: string[]; name?: string; expires?: number; json?: boolean }) => {
      const { key, record } = await withDatabase(cli, async ({ db }) => {
        // A key for a mistyped forum would see nothing, silently.
        for (const forum of opts.forum ?? []) await assertForumExists(db, forum, '--forum');
        return createApiKey(db, {
          role: opts.role,
          forumIds: opts.forum,
          name: opts.name,
          expiresAt: opts.expires ? new Date(Date.now() + opts.expires) : undefined,
        });
      });
      print(
        cli.stdout,
        {
          key,
          role: record.role,
          ...(record.forumIds ? { forums: record.forumIds } : {}),
          ...(record.name ? { name: record.name } : {}),
          ...(record.expiresAt ? { expires_at: record.expiresAt.toISOString() } : {}),
          id: record.id,
        },
        Boolean(opts.json),
      );
    });

  keys
    .command('list')
    .description('list keys, newest first, with their status (never the keys themselves)')
    .option('--json', 'print one JSON object a line')
    .addHelpText('after', '\nExample:\n  npx hearth keys list')
    .action(async (opts: { json?: boolean }) => {
      const all = await withDatabase(cli, ({ db }) => listApiKeys(db));
      if (opts.json) {
        for (const k of all) cli.stdout.write(`${JSON.stringify(describeKey(k))}\n`);
        return;
      }
      if (all.length === 0) {
        cli.stdout.write('no keys yet; create one with: npx hearth keys create --role admin\n');
        return;
      }
      printTable(
        cli.stdout,
        ['prefix', 'role', 'status', 'forums', 'name', 'expires'],
        all.map((k) => [
          k.keyPrefix,
          k.role,
          keyStatus(k),
          (k.forumIds ?? ['all']).join(','),
          k.name ?? '-',
          k.expiresAt?.toISOString() ?? 'never',
        ]),
      );
    });

  keys
    .command('revoke <key>')
    .description('revoke a key at once, by its id or the prefix `keys list` shows')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  npx hearth keys revoke hk_3qJf0a')
    .action(async (idOrPrefix: string, opts: { json?: boolean }) => {
      const revoked = await withDatabase(cli, ({ db }) => revokeApiKey(db, idOrPrefix));
      if (!revoked) throw new AppError('not_found', `no key ${idOrPrefix}; see npx hearth keys list`);
      print(cli.stdout, describeKey(revoked), Boolean(opts.json));
    });
  return keys;
}

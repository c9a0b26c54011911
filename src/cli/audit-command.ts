import { Command, InvalidArgumentError } from 'commander';
import { asc, eq } from 'drizzle-orm';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { auditEvents } from '../db/schema/index.ts';
import type { Cli } from './cli-io.ts';
import { withDatabase } from './database.ts';
import { assertForumExists } from './forum-flags.ts';
import { printTable } from './output.ts';

function positiveWhole(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number, 1 or more');
  return n;
}

export function auditCommand(cli: Cli): Command {
  const audit = new Command('audit').description("read and verify a forum's audit trail");
  audit
    .command('list')
    .requiredOption('--forum <id>', 'forum id')
    .option('--limit <n>', 'most recent events to show', positiveWhole, 50)
    .option('--json', 'print JSON lines')
    .description('list the most recent audit events of a forum, oldest first')
    .addHelpText('after', '\nExample:\n  npx hearth audit list --forum chronic-pain --limit 20')
    .action(async (opts: { forum: string; limit: number; json?: boolean }) => {
      // An unknown forum is an error, not an empty trail: a typo must not read as "nothing happened".
      const rows = await withDatabase(cli, async ({ db }) => {
        await assertForumExists(db, opts.forum, '--forum');
        return db.select().from(auditEvents).where(eq(auditEvents.forumId, opts.forum)).orderBy(asc(auditEvents.seq));
      });
      const shown = rows.slice(-opts.limit);
      if (opts.json) {
        for (const e of shown) cli.stdout.write(`${JSON.stringify(e)}\n`);
        return;
      }
      printTable(
        cli.stdout,
        ['seq', 'created_at', 'type', 'subject', 'hash'],
        shown.map((e) => [String(e.seq), e.createdAt.toISOString(), e.type, e.subjectId ?? '-', e.hash.slice(0, 12)]),
      );
    });
  audit
    .command('verify')
    .requiredOption('--forum <id>', 'forum id')
    .description("walk a forum's hash chain and report the first broken link (exit 1 if any)")
    .action(async (opts: { forum: string }) => {
      const report = await withDatabase(cli, async ({ db }) => {
        // An unknown forum has no chain to check; "ok, 0 checked" would hide the typo.
        await assertForumExists(db, opts.forum, '--forum');
        return verifyAuditChain(db, opts.forum);
      });
      cli.stdout.write(`${JSON.stringify(report)}\n`);
      if (!report.ok) cli.exitCode = 1;
    });
  return audit;
}

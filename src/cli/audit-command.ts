import { Command } from 'commander';
import { asc, eq } from 'drizzle-orm';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { auditEvents } from '../db/schema/index.ts';
import type { Cli } from './cli-io.ts';
import { withDatabase } from './database.ts';

export function auditCommand(cli: Cli): Command {
  const audit = new Command('audit').description("read and verify a forum's audit trail");
  audit
    .command('list')
    .requiredOption('--forum <id>', 'forum id')
    .option('--limit <n>', 'most recent events to show', '50')
    .option('--json', 'print JSON lines')
    .description('list the most recent audit events of a forum, oldest first')
    .addHelpText('after', '\nExample:\n  npx hearth audit list --forum chronic-pain --limit 20')
    .action(async (opts: { forum: string; limit: string; json?: boolean }) => {
      const rows = await withDatabase(cli, ({ db }) =>
        db.select().from(auditEvents).where(eq(auditEvents.forumId, opts.forum)).orderBy(asc(auditEvents.seq)),
      );
      for (const e of rows.slice(-Number(opts.limit))) {
        if (opts.json) cli.stdout.write(`${JSON.stringify(e)}\n`);
        else
          cli.stdout.write(`${e.seq}\t${e.createdAt.toISOString()}\t${e.type.padEnd(17)}\t${e.subjectId ?? '-'}\t${e.hash.slice(0, 12)}\n`);
      }
    });
  audit
    .command('verify')
    .requiredOption('--forum <id>', 'forum id')
    .description("walk a forum's hash chain and report the first broken link (exit 1 if any)")
    .action(async (opts: { forum: string }) => {
      const report = await withDatabase(cli, ({ db }) => verifyAuditChain(db, opts.forum));
      cli.stdout.write(`${JSON.stringify(report)}\n`);
      if (!report.ok) cli.exitCode = 1;
    });
  return audit;
}

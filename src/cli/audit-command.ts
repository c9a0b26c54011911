import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { asc, eq } from 'drizzle-orm';
import { checkpointSchema, verifyWithCheckpoint } from '../audit/audit-checkpoints.ts';
import { deriveAuditKey } from '../audit/audit-key.ts';
import { AuditKeyMismatchError, pendingEvents } from '../audit/audit-log.ts';
import { AuditSealer } from '../audit/audit-sealer.ts';
import type { Db } from '../db/client.ts';
import { auditEvents } from '../db/schema/index.ts';
import type { Cli } from './cli-io.ts';
import { withDatabase } from './database.ts';
import { assertForumExists } from './forum-flags.ts';
import { printTable } from './output.ts';

/**
 * Seals what waits, as the API does before a read, so the CLI shows each event's place in the
 * chain. Never from a process with another key than the chain's (the sealer refuses, and the
 * events are shown unsealed); it makes no checkpoints, which only workers send.
 */
async function sealFirst(cli: Cli, db: Db, forumId: string): Promise<void> {
  const secret = cli.config().audit.key;
  const sealer = new AuditSealer(db, { key: secret ? deriveAuditKey(secret) : undefined, checkpointIntervalMs: Number.POSITIVE_INFINITY });
  await sealer.seal(forumId).catch((err: Error) => {
    if (!(err instanceof AuditKeyMismatchError)) throw err;
    cli.stderr.write(`warning: ${err.message}\n`);
  });
}

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
        await sealFirst(cli, db, opts.forum);
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
        shown.map((e) => [
          e.seq === null ? 'unsealed' : String(e.seq),
          e.createdAt.toISOString(),
          e.type,
          e.subjectId ?? '-',
          e.hash?.slice(0, 12) ?? '-',
        ]),
      );
    });
  audit
    .command('verify')
    .requiredOption('--forum <id>', 'forum id')
    .option('--checkpoint <file>', 'an audit.checkpoint callback the forum kept (JSON): detects deleted newest events and rewrites')
    .description(
      "walk a forum's hash chain (keyed with HEARTH_AUDIT_KEY when set) and report the first broken link, the events waiting to be sealed, and the comparison with a checkpoint: the one given, else the newest stored (exit 1 if anything fails)",
    )
    .addHelpText('after', '\nExample:\n  npx hearth audit verify --forum chronic-pain --checkpoint kept/chronic-pain-latest.json')
    .action(async (opts: { forum: string; checkpoint?: string }) => {
      const kept = opts.checkpoint ? checkpointSchema.safeParse(JSON.parse(await readFile(opts.checkpoint, 'utf8'))) : undefined;
      if (kept && !kept.success) throw new InvalidArgumentError(`--checkpoint: not an audit.checkpoint (${kept.error.issues[0]?.message})`);
      const secret = cli.config().audit.key;
      const key = secret ? deriveAuditKey(secret) : undefined;
      const report = await withDatabase(cli, async ({ db }) => {
        // An unknown forum has no chain to check; "ok, 0 checked" would hide the typo.
        await assertForumExists(db, opts.forum, '--forum');
        await sealFirst(cli, db, opts.forum);
        const verified = await verifyWithCheckpoint(db, opts.forum, key, kept?.data);
        return { ...verified, keyed: key !== undefined, pending: await pendingEvents(db, opts.forum) };
      });
      cli.stdout.write(`${JSON.stringify(report)}\n`);
      if (!report.ok) cli.exitCode = 1;
    });
  return audit;
}

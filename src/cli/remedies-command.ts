import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { AppError } from '../errors.ts';
import { getForum } from '../forums/forums.ts';
import { type ForumRemedies, remediesOf, updateRemedies } from '../members/forum-remedies.ts';
import type { Cli } from './cli-io.ts';
import { withDatabase } from './database.ts';
import { print } from './output.ts';

/** Each remedy setting's flag, so a refusal names the flag the user typed. */
const FLAGS: Record<string, string> = {
  escalation_rules: '--escalation-rules',
  thread_alerts: '--thread-alerts',
  redaction: '--redact',
  crisis: '--crisis',
};

export function remediesCommand(cli: Cli): Command {
  const remedies = new Command('remedies').description("a forum's member remedies: escalation rules for disruptive members");

  remedies
    .command('show')
    .requiredOption('--forum <id>', 'forum id')
    .option('--json', 'print JSON')
    .description("print a forum's member remedies")
    .action(async (opts: { forum: string; json?: boolean }) => {
      const forum = await withDatabase(cli, ({ db }) => getForum(db, opts.forum));
      if (!forum) throw new AppError('forum_not_found', `--forum ${opts.forum}: no such forum; see npx hearth forums list`);
      printRemedies(cli, remediesOf(forum.remedies), Boolean(opts.json));
    });

  remedies
    .command('set')
    .requiredOption('--forum <id>', 'forum id')
    .option('--escalation-rules <json|off>', 'replace the escalation rules (a JSON array), or off to remove them')
    .option('--thread-alerts <json|off>', 'when a thread counts as tense, e.g. {"pile_on":{"authors":3,"within_minutes":60}}, or off')
    .option('--redact <policies|off>', 'redact instead of holding when these policies (privacy_leak) are the only problem, or off')
    .option(
      '--crisis <json|@file|off>',
      'crisis resources for the reply to a member in crisis: {"country","resources":[…]}, a file with it, or off',
    )
    .option('--json', 'print JSON')
    .description("change a forum's member remedies (audited; workers apply it within 30 seconds)")
    .addHelpText(
      'after',
      `\nExample (2 hostility flags within 14 days: the author's posts go to review for 7 days):\n  npx hearth remedies set --forum chronic-pain --escalation-rules '[{"id":"hostility-2-in-14d","policy":"hostility","flags":2,"within_days":14,"raise_to":"review","for_days":7}]'`,
    )
    .action(
      async (opts: {
        forum: string;
        escalationRules?: string;
        threadAlerts?: string;
        redact?: string;
        crisis?: string;
        json?: boolean;
      }) => {
        const change: Record<string, unknown> = {};
        if (opts.escalationRules !== undefined) change.escalation_rules = jsonOrOff('--escalation-rules', opts.escalationRules);
        if (opts.threadAlerts !== undefined) change.thread_alerts = jsonOrOff('--thread-alerts', opts.threadAlerts);
        if (opts.redact !== undefined) change.redaction = opts.redact === 'off' ? null : { policies: opts.redact.split(',') };
        if (opts.crisis !== undefined)
          change.crisis = jsonOrOff('--crisis', opts.crisis.startsWith('@') ? readFlagFile('--crisis', opts.crisis.slice(1)) : opts.crisis);
        if (Object.keys(change).length === 0)
          throw new AppError('validation_failed', 'nothing to change: give --escalation-rules, --thread-alerts, --redact or --crisis');
        const updated = await withDatabase(cli, ({ db }) => updateRemedies(db, opts.forum, change, { actor: 'cli' })).catch(namingFlags);
        printRemedies(cli, updated, Boolean(opts.json));
      },
    );

  return remedies;
}

function printRemedies(cli: Cli, remedies: ForumRemedies, json: boolean): void {
  if (json) {
    print(cli.stdout, remedies, true);
    return;
  }
  const lines = remedies.crisis?.resources.map((r) => `${r.name} (${r.language}${r.country ? `-${r.country}` : ''})`) ?? [];
  cli.stdout.write(`crisis resources: ${lines.length > 0 ? lines.join(', ') : "Hearth's defaults"}\n`);
  cli.stdout.write(`redaction: ${remedies.redaction ? remedies.redaction.policies.join(', ') : 'off'}\n`);
  const { pile_on: pileOn, flagged_share: share } = remedies.thread_alerts ?? {};
  cli.stdout.write(
    `thread alerts: ${
      [
        pileOn ? `pile-on (${pileOn.authors} members hostile to one member within ${pileOn.within_minutes} minutes)` : '',
        share ? `flagged share ${share.share} (from ${share.min_posts} posts)` : '',
      ]
        .filter(Boolean)
        .join('; ') || 'off'
    }\n`,
  );
  const rules = (remedies.escalation_rules ?? []) as Array<Record<string, unknown>>;
  if (rules.length === 0) cli.stdout.write('escalation rules: none\n');
  for (const r of rules) {
    cli.stdout.write(
      `escalation rule ${r.id}: ${r.flags} ${r.count === 'confirmed' ? 'confirmed ' : ''}${r.policy} flag(s) within ${r.within_days} days -> at least ${r.raise_to} for ${r.for_days} days\n`,
    );
  }
}

function jsonOrOff(flag: string, value: string): unknown {
  if (value === 'off') return null;
  try {
    return JSON.parse(value);
  } catch {
    throw new AppError('validation_failed', `${flag}: not JSON (or off): ${value.slice(0, 60)}`);
  }
}

/** Rewrites the service's setting names (remedies: escalation_rules.0.flags) as the flags that set them. */
function namingFlags(err: unknown): never {
  if (!(err instanceof AppError)) throw err;
  let message = err.message.replace(/^remedies: /, '');
  for (const [field, flag] of Object.entries(FLAGS))
    message = message.replaceAll(`${field}.`, `${flag} `).replaceAll(`${field}:`, `${flag}:`);
  throw new AppError(err.code, message, { details: err.details, cause: err });
}

function readFlagFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new AppError(
      'validation_failed',
      `${flag} @${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
}

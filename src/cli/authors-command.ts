import { Command } from 'commander';
import { createQueues } from '../jobs/queues.ts';
import { withShortLivedRedis } from '../jobs/redis-options.ts';
import { authorHistory } from '../members/author-history.ts';
import { dropQueuedPosts } from '../members/drop-queued-posts.ts';
import { forgetAuthor } from '../members/forget-author.ts';
import type { Cli } from './cli-io.ts';
import { withDatabase } from './database.ts';
import { print, printTable } from './output.ts';

export function authorsCommand(cli: Cli): Command {
  const authors = new Command('authors').description("a member's history and standing in a forum");

  authors
    .command('show')
    .requiredOption('--forum <id>', 'forum id')
    .requiredOption('--author <id>', "the forum's id for the member")
    .option('--json', 'print JSON')
    .description("a member's decisions, flags, reviews and the escalation rules in force for them")
    .addHelpText('after', '\nExample:\n  npx hearth authors show --forum chronic-pain --author u-9')
    .action(async (opts: { forum: string; author: string; json?: boolean }) => {
      const history = await withDatabase(cli, ({ db }) => authorHistory(db, 'all', opts.forum, opts.author));
      if (opts.json) {
        cli.stdout.write(`${JSON.stringify(history)}\n`);
        return;
      }
      const { standing } = history;
      cli.stdout.write(
        standing.escalated
          ? `standing: escalated, posts get at least ${standing.least_action}\n`
          : 'standing: no escalation rule in force\n',
      );
      for (const r of standing.rules_in_force) {
        cli.stdout.write(
          `  rule ${r.rule_id}: ${r.flags.length} ${r.policy} flags (${r.flags.map((f) => f.post_id).join(', ')}), in force until ${r.expires_at}\n`,
        );
      }
      printTable(
        cli.stdout,
        ['decided_at', 'post_id', 'action', 'flagged', 'escalation'],
        history.decisions.map((d) => [
          d.decided_at,
          d.post_id,
          d.urgent ? `${d.action} URGENT` : d.action,
          d.flagged.map((f) => f.policy).join(',') || '-',
          d.escalation ? `${d.escalation.rule_id}${d.escalation.applied ? ' (raised)' : ''}` : '-',
        ]),
      );
      cli.stdout.write(`reviews: ${history.reviews.length}\n`);
    });

  authors
    .command('forget')
    .requiredOption('--forum <id>', 'forum id')
    .requiredOption('--author <id>', "the forum's id for the member")
    .option('--json', 'print JSON')
    .description(
      'erase a member: their post text, evidence quotes and review notes about them; their id becomes a salted hash (audited; the chain still verifies)',
    )
    .addHelpText('after', '\nExample:\n  npx hearth authors forget --forum chronic-pain --author u-9')
    .action(async (opts: { forum: string; author: string; json?: boolean }) => {
      const { submission_ids, ...result } = await withDatabase(cli, ({ db }) =>
        forgetAuthor(db, opts.forum, opts.author, { actor: 'cli' }),
      );
      const jobs = await dropJobs(cli, submission_ids);
      print(cli.stdout, { ...result, queued_jobs: jobs ?? 'not reached (Redis down; they expire within a day)' }, Boolean(opts.json));
    });

  return authors;
}

/** The erased posts' moderation jobs, removed from Redis when it answers; null when it does not. */
async function dropJobs(cli: Cli, submissionIds: string[]): Promise<number | null> {
  if (submissionIds.length === 0) return 0;
  const config = cli.config();
  return withShortLivedRedis(config.redisUrl, async (redis) => {
    const queues = createQueues(redis, {
      prefix: config.queuePrefix,
      deliveryAttempts: config.callbacks.attempts,
      deliveryBackoffMs: config.callbacks.backoffMs,
    });
    try {
      return await dropQueuedPosts(queues, submissionIds);
    } finally {
      await queues.close();
    }
  });
}

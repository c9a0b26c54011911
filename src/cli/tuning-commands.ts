import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import type { PolicyMetrics } from '../evaluation/metrics.ts';
import { policyIds } from '../moderation/types.ts';
import { durationHint, parseDuration } from '../time/parse-duration.ts';
import { exportLabels } from '../tuning/labels-export.ts';
import { replayForum } from '../tuning/replay.ts';
import type { Cli } from './cli-io.ts';
import { withDatabase } from './database.ts';
import { progress } from './progress.ts';
import { loadPolicies } from './scoring-input.ts';

function since(value: string): Date {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`expected ${durationHint}`);
  return new Date(Date.now() - ms);
}

// A ratio with nothing to count is unknown, not 0: "n/a" where no reviewed post was flagged
// for a policy (precision) or labelled with it (recall). --json keeps the counts to tell.
const precisionText = (m: PolicyMetrics) => (m.tp + m.fp === 0 ? 'n/a' : m.precision.toFixed(3));
const recallText = (m: PolicyMetrics) => (m.tp + m.fn === 0 ? 'n/a' : m.recall.toFixed(3));

/** `hearth replay`: shadow-mode re-scoring of stored posts with draft policies. */
export function replayCommand(cli: Cli): Command {
  return new Command('replay')
    .description("re-score a forum's stored posts with draft policies and report what would change (writes nothing)")
    .requiredOption('--forum <id>', 'the forum whose posts to replay')
    .option('--since <period>', `only posts received within this period: ${durationHint}`, since)
    .option('--policies <dir>', "the draft policy directory (default: the repository's policies/)")
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      "\nThe forum's own policy overrides apply, as in the workers. Nothing is stored,\nqueued or sent: the posts are read in a read-only transaction.\n\nExample:\n  npx hearth replay --forum chronic-pain --since 30d --policies ./draft-policies",
    )
    .action(async (opts: { forum: string; since?: Date; policies?: string; json?: boolean }) => {
      const policySet = await loadPolicies(opts.policies);
      let bar = progress(cli.stderr, 0, '');
      const report = await withDatabase(cli, ({ db }) =>
        replayForum(db, policySet, {
          forumId: opts.forum,
          since: opts.since,
          onTotal: (n) => {
            bar = progress(cli.stderr, n, `replaying ${opts.forum}`);
          },
          onPost: () => bar.tick(),
        }),
      );
      bar.done();
      if (opts.json) {
        cli.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const r = report.against_reviews;
      const out = [
        `${report.posts} stored posts of ${report.forum_id}${report.since ? ` since ${report.since}` : ''}, re-scored with ${report.policy_set_version}`,
        `${report.changed.length} would change action${
          Object.keys(report.transitions).length > 0
            ? `: ${Object.entries(report.transitions)
                .map(([t, n]) => `${t} ${n}`)
                .join(', ')}`
            : ''
        }`,
        '',
        `against ${r.reviewed} moderator review${r.reviewed === 1 ? '' : 's'}: the moderator's action matches the stored`,
        `decision on ${r.stored_agrees_with_moderator}, the draft's on ${r.draft_agrees_with_moderator}`,
      ];
      if (r.reviewed > 0) {
        out.push('', `${'policy'.padEnd(22)}${'precision (stored → draft)'.padEnd(28)}recall (stored → draft)`);
        for (const p of policyIds) {
          const { stored, draft } = r.policies[p];
          out.push(
            `${p.padEnd(22)}${`${precisionText(stored)} → ${precisionText(draft)}`.padEnd(28)}${recallText(stored)} → ${recallText(draft)}`,
          );
        }
      }
      if (report.changed.length > 0) out.push('', 'posts that would change action:');
      for (const c of report.changed.slice(0, 50)) {
        const review = c.review ? `; moderator said ${c.review.action} [${c.review.labels.join(', ')}]` : '';
        out.push(
          `  ${c.post_id}@${c.revision}  ${c.stored.action} → ${c.draft.action}  [${c.draft.flagged.join(', ')}]${review}`.slice(0, 80),
        );
      }
      if (report.changed.length > 50) out.push(`  … and ${report.changed.length - 50} more (use --json for all)`);
      cli.stdout.write(`${out.join('\n')}\n`);
    });
}

/** `hearth labels export`: moderator reviews as a labelled dataset. */
export function labelsCommand(cli: Cli): Command {
  const labels = new Command('labels').description('moderator reviews as labelled data');
  labels
    .command('export')
    .description('write reviewed posts as JSON Lines in the dataset format, labelled by their newest review')
    .requiredOption('--forum <id>', 'the forum whose reviews to export')
    .option('--since <period>', `only posts received within this period: ${durationHint}`, since)
    .option('--out <file>', 'write to this file instead of standard output')
    .addHelpText(
      'after',
      `\nEach line: {"id": "post@revision", "text", "labels": [...], "format"?, "note"}.\nPosts whose text the retention period purged are left out. Labels:\n${policyIds.join(', ')}.\n\nExamples:\n  npx hearth labels export --forum chronic-pain --since 90d --out reviewed.jsonl\n  npx hearth eval --dataset reviewed.jsonl`,
    )
    .action(async (opts: { forum: string; since?: Date; out?: string }) => {
      const { lines } = await withDatabase(cli, ({ db }) => exportLabels(db, opts.forum, opts.since));
      const text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
      if (opts.out) {
        await writeFile(opts.out, text);
        cli.stderr.write(`hearth: wrote ${lines.length} labelled posts to ${opts.out}\n`);
      } else cli.stdout.write(text);
    });
  return labels;
}

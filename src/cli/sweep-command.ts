import { Command, InvalidArgumentError, Option } from 'commander';
import type { Part } from '../evaluation/splits.ts';
import { chooseThresholds, type SweepRow, sweep, thresholdSteps } from '../evaluation/sweep.ts';
import { policyIds } from '../moderation/types.ts';
import type { Cli } from './cli-io.ts';
import { partOption, prevalenceOption, readDatasetPart, splitsOption } from './dataset-part.ts';
import { wrap } from './output.ts';
import { loadPolicies, scoreLabelled } from './scoring-input.ts';

function ratio(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1)
    throw new InvalidArgumentError('expected a number above 0 and at most 1, such as 0.9');
  return n;
}

/** `hearth sweep`: precision and recall of one policy at each threshold. */
export function sweepCommand(cli: Cli): Command {
  return new Command('sweep')
    .description('precision and recall of one policy at each threshold, and the thresholds that reach a target')
    .addOption(new Option('--policy <policy>', 'the policy to sweep').choices(policyIds).makeOptionMandatory())
    .requiredOption('--dataset <file>', 'labelled posts as JSON Lines; - reads standard input')
    .option('--policies <dir>', "policy directory (default: the repository's policies/)")
    .option('--target-precision <x>', 'report the threshold with the most recall at this precision', ratio)
    .option('--target-recall <x>', 'report the threshold with the most precision at this recall', ratio)
    .option('--target-queue-precision <x>', 'report the threshold with the most recall whose queue precision reaches x', ratio)
    .addOption(prevalenceOption())
    .addOption(partOption())
    .addOption(splitsOption())
    .option('--step <x>', 'distance between thresholds', ratio, 0.05)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      [
        '',
        'A post counts as flagged at a threshold when its score for the policy is at',
        'least that. queue: the share of flags that would be right if --prevalence of',
        'posts broke the policy: p·recall / (p·recall + (1 − p)·share of clean posts',
        'flagged). A public set split in datasets/splits/ is swept on its train part,',
        'since a threshold must never be chosen on the part that reports quality.',
        '',
        'Examples:',
        '  npx hearth sweep --policy hostility --dataset labelled.jsonl \\',
        '    --target-precision 0.9',
        '  npx hearth sweep --policy hostility --dataset labelled.jsonl \\',
        '    --target-queue-precision 0.5 --prevalence 0.02',
      ].join('\n'),
    )
    .action(
      async (opts: {
        policy: (typeof policyIds)[number];
        dataset: string;
        policies?: string;
        targetPrecision?: number;
        targetRecall?: number;
        targetQueuePrecision?: number;
        prevalence: number;
        part?: Part;
        splits?: string;
        step: number;
        json?: boolean;
      }) => {
        const [{ source, posts, rows: scored }, policySet] = await Promise.all([
          readDatasetPart(cli, opts.dataset, opts, 'train'),
          loadPolicies(opts.policies),
        ]);
        for (const warning of scored.warnings) cli.stderr.write(`hearth: ${source}: ${warning}\n`);
        if (scored.use === 'report-only' || scored.part === 'all')
          cli.stderr.write(`hearth: ${source}: choosing a threshold on report rows makes them tuning rows; report on other data\n`);
        const results = scoreLabelled(cli, source, posts, policySet);
        const rows = sweep(results, opts.policy, thresholdSteps(opts.step), opts.prevalence);
        const choice = chooseThresholds(rows, {
          precision: opts.targetPrecision,
          recall: opts.targetRecall,
          queuePrecision: opts.targetQueuePrecision,
        });
        const current = policySet.byId.get(opts.policy)?.flag_at;
        if (opts.json) {
          const about = {
            part: scored.part,
            use: scored.use,
            use_note: scored.note,
            rows_in_file: scored.rows_in_file,
            rows_scored: scored.rows_scored,
          };
          cli.stdout.write(
            `${JSON.stringify({ dataset: source, policy: opts.policy, policy_set_version: policySet.version, flag_at: current, ...about, prevalence: opts.prevalence, rows, choice })}\n`,
          );
          return;
        }
        const from = `${results.length} posts from ${source}`;
        const out = [`${opts.policy}, flag_at now ${current}`, from.length <= 80 ? from : `${from.slice(0, 79)}…`];
        out.push(
          ...wrap(scored.note),
          ...wrap(`queue: share of flags right if ${percent(opts.prevalence)} of posts broke ${opts.policy}`),
          '',
        );
        out.push(
          `${'threshold'.padStart(9)}${'precision'.padStart(10)}${'recall'.padStart(8)}${'F1'.padStart(7)}${'queue'.padStart(7)}${'tp'.padStart(6)}${'fp'.padStart(6)}${'fn'.padStart(6)}${'flagged'.padStart(9)}`,
        );
        for (const r of rows) out.push(row(r, r.threshold === current ? ' ◀ now' : ''));
        out.push('');
        const say = (label: string, r: SweepRow | undefined, target: number | undefined, precision = (x: SweepRow) => x.precision) => {
          if (target === undefined && label !== 'best F1') return;
          const what = label.startsWith('queue') ? 'queue precision' : 'precision';
          out.push(
            r
              ? `${label.padEnd(24)}threshold ${r.threshold.toFixed(2)}: ${what} ${(precision(r) ?? 0).toFixed(3)}, recall ${r.recall.toFixed(3)}`
              : `${label.padEnd(24)}no threshold reaches it on this data`,
          );
        };
        say(`precision ≥ ${opts.targetPrecision}`, choice.forPrecision, opts.targetPrecision);
        say(`recall ≥ ${opts.targetRecall}`, choice.forRecall, opts.targetRecall);
        say(
          `queue precision ≥ ${opts.targetQueuePrecision}`,
          choice.forQueuePrecision,
          opts.targetQueuePrecision,
          (x) => x.queue_precision ?? 0,
        );
        say('best F1', choice.bestF1, undefined);
        cli.stdout.write(`${out.join('\n')}\n`);
      },
    );
}

/** One threshold: 9 + 10 + 8 + 7 + 7 + 3 × 6 + 9 = 68 characters, and " ◀ now" beside flag_at. */
function row(r: SweepRow, note: string): string {
  const queue = r.queue_precision === null ? 'n/a' : r.queue_precision.toFixed(3);
  return `${r.threshold.toFixed(2).padStart(9)}${r.precision.toFixed(3).padStart(10)}${r.recall.toFixed(3).padStart(8)}${r.f1.toFixed(3).padStart(7)}${queue.padStart(7)}${String(r.tp).padStart(6)}${String(r.fp).padStart(6)}${String(r.fn).padStart(6)}${`${(r.flagged_rate * 100).toFixed(1)}%`.padStart(9)}${note}`;
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(2))}%`;
}

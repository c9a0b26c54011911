import { Command, InvalidArgumentError, Option } from 'commander';
import { chooseThresholds, type SweepRow, sweep, thresholdSteps } from '../evaluation/sweep.ts';
import { policyIds } from '../moderation/types.ts';
import type { Cli } from './cli-io.ts';
import { scoreLabelledFile } from './scoring-input.ts';

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
    .option('--step <x>', 'distance between thresholds', ratio, 0.05)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nA post counts as flagged at a threshold when its score for the policy is at\nleast that.\n\nExample:\n  npx hearth sweep --policy hostility --dataset labelled.jsonl \\\n    --target-precision 0.9',
    )
    .action(
      async (opts: {
        policy: (typeof policyIds)[number];
        dataset: string;
        policies?: string;
        targetPrecision?: number;
        targetRecall?: number;
        step: number;
        json?: boolean;
      }) => {
        const { source, policySet, results } = await scoreLabelledFile(cli, opts.dataset, opts.policies);
        const rows = sweep(results, opts.policy, thresholdSteps(opts.step));
        const choice = chooseThresholds(rows, { precision: opts.targetPrecision, recall: opts.targetRecall });
        const current = policySet.byId.get(opts.policy)?.flag_at;
        if (opts.json) {
          cli.stdout.write(
            `${JSON.stringify({ dataset: source, policy: opts.policy, policy_set_version: policySet.version, flag_at: current, rows, choice })}\n`,
          );
          return;
        }
        const from = `${results.length} posts from ${source}`;
        const out = [`${opts.policy}, flag_at now ${current}`, from.length <= 80 ? from : `${from.slice(0, 79)}…`, ''];
        out.push(
          `${'threshold'.padStart(9)}${'precision'.padStart(11)}${'recall'.padStart(9)}${'F1'.padStart(8)}${'tp'.padStart(7)}${'fp'.padStart(7)}${'fn'.padStart(7)}${'flagged'.padStart(9)}`,
        );
        for (const r of rows) out.push(row(r, r.threshold === current ? ' ◀ now' : ''));
        out.push('');
        const say = (label: string, r: SweepRow | undefined, target?: number) => {
          if (target === undefined && label !== 'best F1') return;
          out.push(
            r
              ? `${label.padEnd(24)}threshold ${r.threshold.toFixed(2)}: precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)}`
              : `${label.padEnd(24)}no threshold reaches it on this data`,
          );
        };
        say(`precision ≥ ${opts.targetPrecision}`, choice.forPrecision, opts.targetPrecision);
        say(`recall ≥ ${opts.targetRecall}`, choice.forRecall, opts.targetRecall);
        say('best F1', choice.bestF1);
        cli.stdout.write(`${out.join('\n')}\n`);
      },
    );
}

function row(r: SweepRow, note: string): string {
  return `${r.threshold.toFixed(2).padStart(9)}${r.precision.toFixed(3).padStart(11)}${r.recall.toFixed(3).padStart(9)}${r.f1.toFixed(3).padStart(8)}${String(r.tp).padStart(7)}${String(r.fp).padStart(7)}${String(r.fn).padStart(7)}${`${(r.flagged_rate * 100).toFixed(1)}%`.padStart(9)}${note}`;
}

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { readDataset } from '../evaluation/dataset.ts';
import { crossValidate, trainModel } from '../evaluation/train-model.ts';
import { defaultPoliciesDir, MODEL_FILE } from '../policies/loader.ts';
import type { Cli } from './cli-io.ts';
import { loadPolicies, readInput, sourceName } from './scoring-input.ts';

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2) throw new InvalidArgumentError('a whole number of at least 2');
  return n;
};

/** `hearth train`: fits the local linear model on labelled posts and writes policies/_model.json. */
export function trainCommand(cli: Cli): Command {
  return new Command('train')
    .description("train the local scorer's linear model on labelled datasets (the rules in force are its inputs)")
    .requiredOption('--dataset <file...>', 'labelled JSON Lines datasets to learn from')
    .option('--policies <dir>', "policy directory (default: the repository's policies/)")
    .option('--out <file>', `where to write the model (default: <policies>/${MODEL_FILE})`)
    .option('--cross-validate <k>', 'instead of writing a model, report k-fold cross-validated quality', positiveInt)
    .addHelpText(
      'after',
      [
        '',
        'Retrain whenever the rules change: the model weighs the rule signals among its inputs.',
        '',
        'Examples:',
        '  npx hearth train --dataset datasets/forum-posts.dev.jsonl policies/training/*.jsonl',
        '  npx hearth train --dataset policies/training/*.jsonl --cross-validate 5',
      ].join('\n'),
    )
    .action(async (opts: { dataset: string[]; policies?: string; out?: string; crossValidate?: number }) => {
      const policySet = await loadPolicies(opts.policies);
      const datasets = await Promise.all(
        opts.dataset.map(async (file) => ({
          name: sourceName(file),
          posts: readDataset(await readInput(cli, file), sourceName(file), { labelled: true }),
        })),
      );
      if (opts.crossValidate) {
        const report = crossValidate(
          policySet,
          datasets.flatMap((d) => d.posts),
          opts.crossValidate,
        );
        const rows = Object.entries(report.policies).map(
          ([p, m]) => `${p.padEnd(22)} P=${m.precision.toFixed(2)} R=${m.recall.toFixed(2)} F1=${m.f1.toFixed(2)}`,
        );
        cli.stdout.write(
          `${rows.join('\n')}\nmacro F1 ${report.macro_f1.toFixed(3)}, clean posts flagged ${(report.clean_flagged_rate * 100).toFixed(1)}%\n`,
        );
        return;
      }
      const model = trainModel(policySet, datasets);
      const out = opts.out ?? join(opts.policies ?? defaultPoliciesDir, MODEL_FILE);
      await writeFile(out, `${JSON.stringify(model, null, 1)}\n`);
      const size = Object.values(model.policies).reduce((n, p) => n + Object.keys(p?.weights ?? {}).length, 0);
      const posts = model.trained_on.reduce((n, d) => n + d.posts, 0);
      cli.stdout.write(`wrote ${out}: ${size} weights from ${posts} posts (${model.trained_on.map((d) => d.dataset).join(', ')})\n`);
    });
}

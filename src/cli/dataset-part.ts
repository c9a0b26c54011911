import { createHash } from 'node:crypto';
import { InvalidArgumentError, Option } from 'commander';
import { AppError } from '../errors.ts';
import type { LabelledPost } from '../evaluation/dataset.ts';
import { readSplitIndex } from '../evaluation/read-splits.ts';
import { describeRows, type Part, partOf, parts, type RowsDescription, splitFor } from '../evaluation/splits.ts';
import type { Cli } from './cli-io.ts';
import { readLabelledFile } from './scoring-input.ts';

export const partOption = () =>
  new Option('--part <part>', 'for a public set split in datasets/splits: the rows to score (default: see below)').choices(parts);

export const splitsOption = () => new Option('--splits <dir>', "split files and manifest (default: the repository's datasets/splits/)");

export const prevalenceOption = () =>
  new Option('--prevalence <p>', "share of a forum's posts that break a policy, for queue precision")
    .argParser(parsePrevalence)
    .default(0.02);

function parsePrevalence(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n >= 1)
    throw new InvalidArgumentError('expected a share above 0 and below 1, such as 0.02');
  return n;
}

/**
 * Reads a labelled dataset and keeps the part to score: `requested`, or for a set with a split
 * `fallback` (eval reports on the report part; sweep chooses thresholds on the train part, since
 * a change must never be chosen on the reported part). Warnings about the split go to stderr.
 */
export async function readDatasetPart(
  cli: Cli,
  dataset: string,
  opts: { part?: Part; splits?: string },
  fallback: Exclude<Part, 'all'>,
): Promise<{ source: string; posts: LabelledPost[]; rows: RowsDescription }> {
  const [{ source, content, posts }, index] = await Promise.all([readLabelledFile(cli, dataset), readSplitIndex(opts.splits)]);
  const split = splitFor(source, index);
  if (!split && opts.part !== undefined && opts.part !== 'all')
    throw new AppError('bad_request', `--part ${opts.part}: ${source} has no split in datasets/splits, so all its rows are one part`);
  const part = opts.part ?? (split ? fallback : 'all');
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { source, posts: partOf(posts, split, part), rows: describeRows(source, posts, part, index, sha256) };
}

import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { DatasetError, type LabelledPost, readDataset } from '../evaluation/dataset.ts';
import { scoreLabelledPosts } from '../evaluation/score-dataset.ts';
import { createLocalScorer } from '../moderation/local-scorer.ts';
import { loadPolicySet, PolicyFileError, type PolicySet } from '../policies/loader.ts';
import type { Cli } from './cli-io.ts';
import { progress } from './progress.ts';

/** How a `--input`/`--dataset` value is named in messages. */
export function sourceName(source: string): string {
  return source === '-' ? 'stdin' : source;
}

/** Reads a file, or standard input for `-`. A missing or unreadable file is a one-line error. */
export async function readInput(cli: Cli, source: string): Promise<string> {
  try {
    return source === '-' ? await text(cli.stdin) : await readFile(source, 'utf8');
  } catch (err) {
    throw new DatasetError(sourceName(source), [{ line: 0, message: describeFsError(err) }]);
  }
}

/**
 * Loads the policy set, turning a mistyped `--policies` directory into a one-line error rather
 * than a stack trace.
 */
export async function loadPolicies(dir: string | undefined): Promise<PolicySet> {
  try {
    return await loadPolicySet(dir);
  } catch (err) {
    if (err instanceof PolicyFileError || !(err as NodeJS.ErrnoException).code) throw err;
    throw new PolicyFileError(dir ?? 'policies', [describeFsError(err)]);
  }
}

export function describeFsError(err: unknown): string {
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    ENOTDIR: 'not a directory',
    EISDIR: 'is a directory, not a file',
    EACCES: 'permission denied',
  };
  const code = (err as NodeJS.ErrnoException).code;
  return (code && known[code]) ?? (err as Error).message;
}

/** Reads a labelled dataset (a file, or standard input for `-`); any problem is a `DatasetError`. */
export async function readLabelledFile(cli: Cli, dataset: string) {
  const source = sourceName(dataset);
  const content = await readInput(cli, dataset);
  return { source, content, posts: readDataset(content, source, { labelled: true }) };
}

/** Scores labelled posts with the local scorer, showing progress on a terminal. */
export function scoreLabelled(cli: Cli, source: string, posts: readonly LabelledPost[], set: PolicySet) {
  const bar = progress(cli.stderr, posts.length, `scoring ${source}`);
  const results = scoreLabelledPosts(set, createLocalScorer(set.policies, set.model, set.knowledge), posts, () => bar.tick());
  bar.done();
  return results;
}

/**
 * Reads a labelled dataset and scores it with a policy set, showing progress on a terminal.
 * Shared by eval, sweep and diff, so they read and score files the same way.
 */
export async function scoreLabelledFile(cli: Cli, dataset: string, policiesDir: string | undefined, policySet?: PolicySet) {
  const [{ source, posts }, set] = await Promise.all([
    readLabelledFile(cli, dataset),
    policySet ? Promise.resolve(policySet) : loadPolicies(policiesDir),
  ]);
  return { source, policySet: set, posts, results: scoreLabelled(cli, source, posts, set) };
}

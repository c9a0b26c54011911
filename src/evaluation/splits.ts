import { z } from 'zod';
import type { LabelledPost } from './dataset.ts';

/**
 * A public set's split, fixed once by datasets/splits/draw-splits.mjs: the ids that may train
 * the model. Every other id is in the report part, never trained or tuned on. Only ids: the
 * sets' texts stay outside the repository under their own licences.
 */
export const splitFileSchema = z.object({
  set: z.string().min(1),
  licence: z.string().min(1),
  source: z.string().min(1),
  rule: z.string().min(1),
  /** Rows in the file the split was drawn from. */
  rows: z.number().int().positive(),
  /** SHA-256 of that file's bytes, so a changed copy can be noticed. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  train: z.array(z.string().min(1)),
});
export type SplitFile = z.infer<typeof splitFileSchema>;

export const datasetUses = ['training', 'tuning', 'report-only'] as const;
export type DatasetUse = (typeof datasetUses)[number];

/** The repository's own sets, each with what it has been used for (datasets/splits/manifest.json). */
export const manifestSchema = z.object({
  about: z.string().optional(),
  files: z.array(
    z.object({
      /** Relative to the repository; `*` in the file name stands for any run of characters. */
      path: z.string().min(1),
      use: z.enum(datasetUses),
      note: z.string().optional(),
    }),
  ),
});
export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestEntry = Manifest['files'][number];

/** Everything `eval`, `sweep` and `train` need to know about how the sets were used. */
export interface SplitIndex {
  /** By set name, the file's base name without .jsonl or .json. */
  splits: ReadonlyMap<string, SplitFile>;
  manifest: readonly ManifestEntry[];
}

export const emptySplitIndex: SplitIndex = { splits: new Map(), manifest: [] };

export const parts = ['train', 'report', 'all'] as const;
export type Part = (typeof parts)[number];

/** What the scored rows are worth as evidence of quality, in `--json` as `use`. */
export type RowsUse = DatasetUse | 'mixed' | 'unknown';

/** A dataset's name as split files know it: its file name without directories, .jsonl or .json. */
export function datasetName(datasetPath: string): string {
  const file = datasetPath.split(/[\\/]/).pop() ?? datasetPath;
  return file.replace(/\.jsonl?$/i, '');
}

/** The fixed split of a public set, recognised by file name wherever the set is kept. */
export function splitFor(datasetPath: string, index: SplitIndex): SplitFile | undefined {
  return index.splits.get(datasetName(datasetPath));
}

/** The manifest entry whose file name matches this dataset's, if any. */
export function manifestEntryFor(datasetPath: string, index: SplitIndex): ManifestEntry | undefined {
  const file = datasetPath.split(/[\\/]/).pop() ?? datasetPath;
  return index.manifest.find((entry) => fileNamePattern(entry.path).test(file));
}

function fileNamePattern(path: string): RegExp {
  const name = path.split('/').pop() ?? path;
  const escaped = name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${escaped}$`);
}

/**
 * The posts of one part: `train` the listed ids, `report` every other one, `all` everything.
 * Without a split there is one part, so only `all` has posts to give.
 */
export function partOf<P extends Pick<LabelledPost, 'id'>>(posts: readonly P[], split: SplitFile | undefined, part: Part): P[] {
  if (part === 'all') return [...posts];
  if (!split) throw new Error(`--part ${part} needs a split file; this dataset has none`);
  const train = new Set(split.train);
  return posts.filter((post) => train.has(post.id) === (part === 'train'));
}

/** What a set of scored rows is, said once in the header of `eval` and `sweep`. */
export interface RowsDescription {
  part: Part | null;
  use: RowsUse;
  /** One sentence for people: what the figures are worth. */
  note: string;
  rows_in_file: number;
  rows_scored: number;
  /** Rows of the other part(s), when a split is in force. */
  rows_other: number;
  /** Why the split may not fit this copy of the set (different row count, ids it does not have). */
  warnings: string[];
}

const useNotes: Record<DatasetUse, string> = {
  training: 'training data: figures are training fit',
  tuning: 'used for tuning: optimistic',
  'report-only': 'report-only: never trained or tuned on',
};

/** Says how the scored rows of a dataset were used, from its split or its manifest entry. */
export function describeRows(
  datasetPath: string,
  posts: readonly Pick<LabelledPost, 'id'>[],
  part: Part,
  index: SplitIndex,
  contentSha256?: string,
): RowsDescription {
  const split = splitFor(datasetPath, index);
  const total = posts.length;
  const scored = partOf(posts, split, part).length;
  const other = total - scored;
  if (split) {
    const notes: Record<Part, string> = {
      report: `report part: ${scored} of ${total} rows, never trained or tuned on; the other ${other} may train the model`,
      train: `train part: ${scored} of ${total} rows, which may train the model: figures may be training fit`,
      all: `all ${total} rows: ${partOf(posts, split, 'train').length} of them may train the model, so figures mix training fit and report`,
    };
    const uses: Record<Part, RowsUse> = { report: 'report-only', train: 'training', all: 'mixed' };
    return {
      part,
      use: uses[part],
      note: notes[part],
      rows_in_file: total,
      rows_scored: scored,
      rows_other: other,
      warnings: splitWarnings(split, posts, contentSha256),
    };
  }
  const entry = manifestEntryFor(datasetPath, index);
  const base = { part: null, rows_in_file: total, rows_scored: scored, rows_other: 0, warnings: [] };
  if (!entry) return { ...base, use: 'unknown', note: 'not in datasets/splits: say how it was used when you report it' };
  return { ...base, use: entry.use, note: entry.note ? `${useNotes[entry.use]} (${entry.note})` : useNotes[entry.use] };
}

function splitWarnings(split: SplitFile, posts: readonly Pick<LabelledPost, 'id'>[], contentSha256?: string): string[] {
  const ids = new Set(posts.map((p) => p.id));
  const unknown = split.train.filter((id) => !ids.has(id)).length;
  const warnings: string[] = [];
  if (posts.length !== split.rows)
    warnings.push(`the split was drawn on ${split.rows} rows and this file has ${posts.length}: rows it did not draw count as report rows`);
  if (unknown > 0) warnings.push(`${unknown} train ids of the split are not in this file`);
  if (warnings.length === 0 && contentSha256 !== undefined && contentSha256 !== split.sha256)
    warnings.push('this file is not byte for byte the one the split was drawn from (same ids)');
  return warnings;
}

/**
 * The posts `hearth train` may learn from in one dataset: a public set's train part, a file the
 * manifest lists for training, or a file it does not know (the caller's own data). A tuning or
 * report-only set is refused: training on it would make its figures training fit.
 */
export function trainingPartOf<P extends Pick<LabelledPost, 'id'>>(
  datasetPath: string,
  posts: readonly P[],
  index: SplitIndex,
): { posts: P[]; part: Part; note: string } | { refused: string } {
  const split = splitFor(datasetPath, index);
  if (split) {
    const train = partOf(posts, split, 'train');
    return { posts: train, part: 'train', note: `train part of ${split.set}: ${train.length} of ${posts.length} rows` };
  }
  const entry = manifestEntryFor(datasetPath, index);
  if (entry && entry.use !== 'training')
    return { refused: `${datasetPath} is ${entry.use === 'tuning' ? 'a tuning set' : 'report-only'} (datasets/splits/manifest.json)` };
  return {
    posts: [...posts],
    part: 'all',
    note: entry ? `${posts.length} rows, listed for training` : `${posts.length} rows, not in datasets/splits`,
  };
}

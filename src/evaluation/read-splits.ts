import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { DatasetError } from './dataset.ts';
import { emptySplitIndex, type Manifest, manifestSchema, type SplitFile, type SplitIndex, splitFileSchema } from './splits.ts';

/** The repository's split files and manifest. Absent in a copy without datasets/ (the image). */
export const defaultSplitsDir = fileURLToPath(new URL('../../datasets/splits', import.meta.url));
export const MANIFEST_FILE = 'manifest.json';

/**
 * Reads every `<set>.json` split and the manifest in a directory. A missing directory is an empty
 * index (every dataset is then "not in datasets/splits"); a malformed file is an error naming it,
 * since a split silently ignored would report training rows as if they were held out.
 */
export async function readSplitIndex(dir: string = defaultSplitsDir): Promise<SplitIndex> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptySplitIndex;
    throw err;
  }
  const splits = new Map<string, SplitFile>();
  let manifest: Manifest = { files: [] };
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const file = join(dir, name);
    if (name === MANIFEST_FILE) {
      manifest = await readJson(file, manifestSchema);
      continue;
    }
    const split = await readJson(file, splitFileSchema);
    if (`${split.set}.json` !== name)
      throw new DatasetError(file, [{ line: 0, message: `"set" is "${split.set}"; the file must be named after it` }]);
    splits.set(split.set, split);
  }
  return { splits, manifest: manifest.files };
}

async function readJson<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new DatasetError(file, [{ line: 0, message: `not valid JSON (${(err as Error).message})` }]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new DatasetError(
      file,
      parsed.error.issues.map((issue) => ({ line: 0, message: `${issue.path.join('.') || '(top)'}: ${issue.message}` })),
    );
  return parsed.data;
}

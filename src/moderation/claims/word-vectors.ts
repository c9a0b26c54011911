import { z } from 'zod';

/**
 * Word vectors distilled at training time from pretrained embeddings (`hearth train --vectors`):
 * only the words Hearth's data and claims use, unit length, quantised to one signed byte a
 * dimension. Used to match a member's wording to a known claim when the words differ but the
 * meaning does not ("jab" and "vaccine").
 */
export interface WordVectors {
  dimensions: number;
  index: ReadonlyMap<string, number>;
  data: Int8Array;
}

export const VECTORS_FILE = '_vectors.json';

export const vectorsFileSchema = z
  .object({
    source: z.string().min(3),
    licence: z.string().min(2),
    dimensions: z.number().int().positive(),
    words: z.array(z.string().min(1)),
    /** Base64 of words.length × dimensions signed bytes, each vector scaled so its unit length is 127. */
    data: z.string(),
  })
  .strict();
export type VectorsFile = z.infer<typeof vectorsFileSchema>;

export function readVectors(file: VectorsFile): WordVectors {
  const bytes = Buffer.from(file.data, 'base64');
  if (bytes.length !== file.words.length * file.dimensions)
    throw new Error(`expected ${file.words.length * file.dimensions} bytes of vectors, found ${bytes.length}`);
  return {
    dimensions: file.dimensions,
    index: new Map(file.words.map((w, i) => [w, i])),
    data: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
  };
}

/** Cosine similarity of two words, or undefined when either has no vector. */
export function wordSimilarity(vectors: WordVectors, a: string, b: string): number | undefined {
  const i = vectors.index.get(a);
  const j = vectors.index.get(b);
  if (i === undefined || j === undefined) return undefined;
  const { data, dimensions: d } = vectors;
  let dot = 0;
  for (let k = 0; k < d; k++) dot += (data[i * d + k] as number) * (data[j * d + k] as number);
  return dot / (127 * 127);
}

/** Quantises unit-length vectors into the file format (training time). */
export function encodeVectors(words: string[], vectors: number[][], meta: { source: string; licence: string }): VectorsFile {
  const dimensions = vectors[0]?.length ?? 0;
  const bytes = new Int8Array(words.length * dimensions);
  vectors.forEach((v, i) => {
    const norm = Math.hypot(...v) || 1;
    for (let k = 0; k < dimensions; k++)
      bytes[i * dimensions + k] = Math.max(-127, Math.min(127, Math.round(((v[k] as number) / norm) * 127)));
  });
  return { ...meta, dimensions, words, data: Buffer.from(bytes.buffer).toString('base64') };
}

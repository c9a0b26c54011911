import { z } from 'zod';
import { policyIds } from '../types.ts';
import type { Feature } from './features.ts';

/**
 * A logistic-regression model per policy over the sparse features of features.ts, trained by
 * `hearth train` on labelled posts and shipped as data (policies/_model.json).
 */
export const linearModelSchema = z
  .object({
    format: z.literal('hearth-linear-model/1'),
    trained_on: z.array(z.object({ dataset: z.string(), posts: z.number().int() })),
    policies: z.partialRecord(z.enum(policyIds), z.object({ weights: z.record(z.string(), z.number()) })),
  })
  .strict();

export type LinearModel = z.infer<typeof linearModelSchema>;

export interface Prediction {
  probability: number;
  /** The present features that pushed most towards flagging, strongest first. */
  drivers: Feature[];
}

export function predict(weights: Record<string, number>, features: Map<string, Feature>): Prediction {
  let z = 0;
  const positive: Array<{ feature: Feature; weight: number }> = [];
  for (const feature of features.values()) {
    const w = weights[feature.name];
    if (w === undefined) continue;
    z += w;
    if (w > 0 && feature.spans.length > 0) positive.push({ feature, weight: w });
  }
  positive.sort((a, b) => b.weight - a.weight);
  return { probability: sigmoid(z), drivers: positive.slice(0, 3).map((p) => p.feature) };
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

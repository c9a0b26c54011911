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
    policies: z.partialRecord(
      z.enum(policyIds),
      z.object({
        /** The probability at which the model alone flags; scores are shifted so that it maps to 0.5. */
        threshold: z.number().gt(0).lt(1).default(0.5),
        weights: z.record(z.string(), z.number()),
      }),
    ),
  })
  .strict();

export type LinearModel = z.infer<typeof linearModelSchema>;

export interface Prediction {
  probability: number;
  /** The present features that pushed most towards flagging, strongest first (computed on demand). */
  drivers(): Feature[];
}

/** A policy's weights in a Map: lookups from a plain object of ~10,000 keys cost far more. */
export interface CompiledPolicyModel {
  weights: Map<string, number>;
  /** Logit of the policy's threshold, subtracted so that the threshold maps to 0.5. */
  offset: number;
}

export function compilePolicyModel(model: { weights: Record<string, number>; threshold?: number }): CompiledPolicyModel {
  const threshold = model.threshold ?? 0.5;
  return { weights: new Map(Object.entries(model.weights)), offset: Math.log(threshold / (1 - threshold)) };
}

export function predict(model: CompiledPolicyModel, features: Map<string, Feature>): Prediction {
  let z = -model.offset;
  for (const name of features.keys()) z += model.weights.get(name) ?? 0;
  return {
    probability: sigmoid(z),
    drivers: () =>
      [...features.values()]
        .map((feature) => ({ feature, weight: model.weights.get(feature.name) ?? 0 }))
        .filter((d) => d.weight > 0 && d.feature.spans.length > 0)
        .sort((a, b) => b.weight - a.weight)
        .slice(0, 3)
        .map((d) => d.feature),
  };
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

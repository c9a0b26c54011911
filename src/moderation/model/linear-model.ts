import { z } from 'zod';
import { type PolicyId, policyIds } from '../types.ts';
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
  /** The present features that pushed most towards flagging, strongest first (computed on demand). */
  drivers(): Feature[];
}

/**
 * All policies' weights in one Map from feature to a vector (one entry per policy, in
 * `policies` order), so each of a post's features costs one lookup rather than one per policy.
 */
export interface CompiledModel {
  policies: PolicyId[];
  weights: Map<string, Float64Array>;
  /** Logit of each policy's threshold, subtracted so that the threshold maps to 0.5. */
  offsets: Float64Array;
}

/**
 * `thresholds` are the probabilities at which each policy flags (the policy files'
 * `model_flag_at`); they live with the policies, so they change without retraining.
 */
export function compileModel(model: LinearModel, thresholds: Partial<Record<PolicyId, number>> = {}): CompiledModel {
  const policies = policyIds.filter((p) => model.policies[p]);
  const weights = new Map<string, Float64Array>();
  const offsets = new Float64Array(policies.length);
  policies.forEach((policy, i) => {
    const m = model.policies[policy];
    if (!m) return;
    const threshold = thresholds[policy] ?? 0.5;
    offsets[i] = Math.log(threshold / (1 - threshold));
    for (const [feature, w] of Object.entries(m.weights)) {
      let vector = weights.get(feature);
      if (!vector) {
        vector = new Float64Array(policies.length);
        weights.set(feature, vector);
      }
      vector[i] = w;
    }
  });
  return { policies, weights, offsets };
}

/** Predicts every policy of the model at once. */
export function predictAll(model: CompiledModel, features: Map<string, Feature>): Map<PolicyId, Prediction> {
  const z = Float64Array.from(model.offsets, (o) => -o);
  for (const name of features.keys()) {
    const vector = model.weights.get(name);
    if (vector) for (let i = 0; i < vector.length; i++) z[i] = (z[i] as number) + (vector[i] as number);
  }
  const out = new Map<PolicyId, Prediction>();
  model.policies.forEach((policy, i) => {
    out.set(policy, {
      probability: sigmoid(z[i] as number),
      drivers: () =>
        [...features.values()]
          .map((feature) => ({ feature, weight: model.weights.get(feature.name)?.[i] ?? 0 }))
          .filter((d) => d.weight > 0 && d.feature.start >= 0)
          .sort((a, b) => b.weight - a.weight)
          .slice(0, 3)
          .map((d) => d.feature),
    });
  });
  return out;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

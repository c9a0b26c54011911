import { type PolicyId, policyIds } from '../types.ts';
import { type LinearModel, sigmoid } from './linear-model.ts';
import { seededRandom } from './seeded-random.ts';

export interface TrainingExample {
  features: string[];
  labels: PolicyId[];
}

export interface TrainingOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Features seen in fewer posts than this are dropped (rule signals are always kept). */
  minCount?: number;
  seed?: number;
  /** Upper bound on how much more a positive example counts than a clean one. */
  maxPositiveWeight?: number;
}

/**
 * Trains one L2-regularised logistic regression per policy with AdaGrad. Deterministic for a
 * given dataset and seed: the example order is shuffled with a seeded generator.
 */
export function trainLinearModel(
  examples: TrainingExample[],
  trainedOn: LinearModel['trained_on'],
  options: TrainingOptions = {},
): LinearModel {
  const { epochs = 40, learningRate = 0.2, l2 = 3e-3, minCount = 2, seed = 7, maxPositiveWeight = 1 } = options;
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of new Set(e.features)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const keep = (f: string) => f === 'bias' || f.startsWith('s:') || f.startsWith('det:') || (counts.get(f) ?? 0) >= minCount;
  const rows = examples.map((e) => ({ features: [...new Set(e.features)].filter(keep), labels: new Set(e.labels) }));

  const policies: LinearModel['policies'] = {};
  for (const policy of policyIds) {
    const weights = new Map<string, number>();
    const squares = new Map<string, number>();
    const positives = rows.filter((r) => r.labels.has(policy)).length;
    // Rare positives would otherwise be drowned by clean posts; weigh them up to a balance.
    const positiveWeight = Math.min(maxPositiveWeight, Math.max(1, (rows.length - positives) / Math.max(1, positives) / 2));
    const random = seededRandom(seed);
    const order = rows.map((_, i) => i);
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      for (const i of order) {
        const row = rows[i];
        if (!row) continue;
        const y = row.labels.has(policy) ? 1 : 0;
        let z = 0;
        for (const f of row.features) z += weights.get(f) ?? 0;
        const gradient = (sigmoid(z) - y) * (y === 1 ? positiveWeight : 1);
        for (const f of row.features) {
          const w = weights.get(f) ?? 0;
          const g = gradient + (f === 'bias' ? 0 : l2 * w);
          const sq = (squares.get(f) ?? 0) + g * g;
          squares.set(f, sq);
          weights.set(f, w - (learningRate * g) / Math.sqrt(sq + 1e-8));
        }
      }
    }
    const kept: Record<string, number> = {};
    for (const [f, w] of [...weights.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (Math.abs(w) >= 0.01) kept[f] = Math.round(w * 1000) / 1000;
    }
    policies[policy] = { weights: kept };
  }
  return { format: 'hearth-linear-model/1', trained_on: trainedOn, policies };
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

import { describe, expect, it } from 'vitest';
import { extractFeatures } from '../../../src/moderation/model/features.ts';
import { compileModel, type LinearModel, linearModelSchema, predictAll } from '../../../src/moderation/model/linear-model.ts';
import { type TrainingExample, trainLinearModel } from '../../../src/moderation/model/train-linear-model.ts';
import { classify } from '../../../src/moderation/speech/speech-acts.ts';
import type { PolicyId } from '../../../src/moderation/types.ts';
import { loadPolicySet } from '../../../src/policies/loader.ts';

const { knowledge } = await loadPolicySet();

/** Predicts one policy with a one-policy model. */
const predictHostility = (policy: { weights: Record<string, number>; threshold?: number }, features: ReturnType<typeof featuresOf>) => {
  const model: LinearModel = { format: 'hearth-linear-model/1', trained_on: [], policies: { hostility: { weights: policy.weights } } };
  const prediction = predictAll(compileModel(model, { hostility: policy.threshold }), features).get('hostility');
  if (!prediction) throw new Error('no prediction');
  return prediction;
};

const featuresOf = (text: string) =>
  extractFeatures({
    norm: text,
    sentences: [classify(text, knowledge.speech)],
    firedSignals: [],
    detectors: [],
    language: 'en',
    stopWords: knowledge.stopWords,
  });

const examples: TrainingExample[] = [];
for (let i = 0; i < 30; i++) {
  examples.push({ features: [...featuresOf(`you are a total clown number ${i}`).keys()], labels: ['hostility' as PolicyId] });
  examples.push({ features: [...featuresOf(`my knee hurts on day ${i} of the flare`).keys()], labels: [] });
}

describe('the linear model', () => {
  it('has no feature for a stop word, or a pair of two, and none for addresses or handles', () => {
    const features = [...featuresOf("i've just done myself in on the stairs, see https://example.org/x and ask @sam_r").keys()];
    expect(features).not.toContain("w:i've");
    expect(features).not.toContain('w:just');
    expect(features).not.toContain('w:myself');
    expect(features).not.toContain("b:i've_just");
    expect(features).toContain('w:stairs');
    expect(features).toContain('b:the_stairs');
    expect(features.filter((f) => /example|https|sam_r/.test(f))).toEqual([]);
  });

  const model = trainLinearModel(examples, [{ dataset: 'toy', posts: examples.length }], { epochs: 20 });

  it('learns to separate what it was shown, and validates as a model file', () => {
    const hostility = model.policies.hostility ?? { weights: {} };
    expect(predictHostility(hostility, featuresOf('you are such a clown')).probability).toBeGreaterThan(0.5);
    expect(predictHostility(hostility, featuresOf('my knee hurts again')).probability).toBeLessThan(0.5);
    expect(linearModelSchema.safeParse(JSON.parse(JSON.stringify(model))).success).toBe(true);
  });

  it('is deterministic for the same data and seed', () => {
    expect(trainLinearModel(examples, [], { epochs: 20 })).toEqual(trainLinearModel(examples, [], { epochs: 20 }));
  });

  it('shifts scores so that a policy threshold maps to 0.5', () => {
    const features = featuresOf('you are such a clown');
    const plain = predictHostility({ weights: { 'w:clown': 1 } }, features).probability;
    const strict = predictHostility({ weights: { 'w:clown': 1 }, threshold: 0.9 }, features).probability;
    expect(strict).toBeLessThan(plain);
    expect(predictHostility({ weights: {}, threshold: 0.5 }, features).probability).toBe(0.5);
  });

  it('names the words that drove a score, with their spans', () => {
    const text = 'you are such a ridiculous clown';
    const drivers = predictHostility({ weights: { 'w:clown': 2, 'w:ridiculous': 0.5 } }, featuresOf(text)).drivers();
    expect(drivers.map((d) => d.name)).toEqual(['w:clown', 'w:ridiculous']);
    expect(text.slice(drivers[0]?.start, drivers[0]?.end)).toBe('clown');
  });
});

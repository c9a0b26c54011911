import { createLocalScorer } from '../moderation/local-scorer.ts';
import type { LinearModel } from '../moderation/model/linear-model.ts';
import { type TrainingExample, type TrainingOptions, trainLinearModel } from '../moderation/model/train-linear-model.ts';
import type { PolicySet } from '../policies/loader.ts';
import type { LabelledPost } from './dataset.ts';
import { type EvaluationReport, evaluate } from './metrics.ts';
import { scoreDatasetPost } from './score-dataset.ts';

export interface NamedDataset {
  name: string;
  posts: LabelledPost[];
}

/** Features come from the rules in force, so a model is trained for one rule set. */
export function trainingExamples(policySet: PolicySet, posts: readonly LabelledPost[]): TrainingExample[] {
  const rulesOnly = createLocalScorer(policySet.policies, undefined, policySet.knowledge);
  return posts.map((p) => ({ features: rulesOnly.features(p.text, p.format), labels: p.labels }));
}

/** The policy files' own examples, as labelled posts: they are part of what the model learns. */
export function policyExamples(policySet: PolicySet): NamedDataset {
  const posts: LabelledPost[] = policySet.policies.flatMap((p) => [
    ...p.examples.flagged.map((text, i) => ({ id: `${p.id}-flagged-${i}`, line: i + 1, text, labels: [p.id] })),
    ...p.examples.not_flagged.map((text, i) => ({ id: `${p.id}-clean-${i}`, line: i + 1, text, labels: [] })),
  ]);
  return { name: 'policy examples', posts };
}

/**
 * The claims base as labelled sentences: every wording of a false claim is misinformation, and
 * its established fact is a clean statement on the same topic, the hardest negative there is.
 */
export function claimsDataset(policySet: PolicySet): NamedDataset {
  const posts: LabelledPost[] = policySet.knowledge.claims.flatMap((c, i) => [
    ...[c.claim, ...c.paraphrases].map((text, j) => ({ id: `${c.id}-${j}`, line: i + 1, text, labels: ['misinformation' as const] })),
    { id: `${c.id}-fact`, line: i + 1, text: c.fact, labels: [] },
  ]);
  return { name: 'claims base', posts };
}

export function trainModel(policySet: PolicySet, datasets: readonly NamedDataset[], options?: TrainingOptions): LinearModel {
  datasets = [...datasets, policyExamples(policySet)];
  const posts = datasets.flatMap((d) => d.posts);
  return trainLinearModel(
    trainingExamples(policySet, posts),
    datasets.map((d) => ({ dataset: d.name, posts: d.posts.length })),
    options,
  );
}

/**
 * k-fold cross-validation: each fold is scored by a model trained on the other folds, so every
 * post is judged by a model that never saw it. The honest estimate of how the model generalises.
 */
export function crossValidate(
  policySet: PolicySet,
  posts: readonly LabelledPost[],
  folds = 5,
  options?: TrainingOptions,
): EvaluationReport {
  const examples = trainingExamples(policySet, posts);
  const results = [];
  for (let k = 0; k < folds; k++) {
    const trainIdx = posts.map((_, i) => i).filter((i) => i % folds !== k);
    const model = trainLinearModel(
      trainIdx.map((i) => examples[i] as TrainingExample),
      [],
      options,
    );
    const scorer = createLocalScorer(policySet.policies, model, policySet.knowledge);
    for (let i = k; i < posts.length; i += folds) {
      const post = posts[i] as LabelledPost;
      results.push({ ...scoreDatasetPost(policySet, scorer, post), text: post.text, labels: post.labels });
    }
  }
  return evaluate(results);
}

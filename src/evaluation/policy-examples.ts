import { createLocalScorer } from '../moderation/local-scorer.ts';
import type { Evidence, PolicyId } from '../moderation/types.ts';
import type { PolicySet } from '../policies/loader.ts';

export interface ExampleFailure {
  policy: PolicyId;
  /** `flagged`: an example that must be flagged was not; `not_flagged`: a hard negative was flagged. */
  kind: 'flagged' | 'not_flagged';
  text: string;
  score: number;
  rationale: string;
  evidence: Evidence[];
}

export interface ExamplesReport {
  policies: Array<{ policy: PolicyId; examples: number; passed: number }>;
  failures: ExampleFailure[];
}

/** Scores every policy's own examples against that policy, as `hearth policies test` and `publish` do. */
export function runPolicyExamples(set: PolicySet): ExamplesReport {
  const scorer = createLocalScorer(set.policies, set.model, set.knowledge);
  const failures: ExampleFailure[] = [];
  const policies = set.policies.map((policy) => {
    const cases = [
      ...policy.examples.flagged.map((text) => ({ text, kind: 'flagged' as const })),
      ...policy.examples.not_flagged.map((text) => ({ text, kind: 'not_flagged' as const })),
    ];
    let passed = 0;
    for (const { text, kind } of cases) {
      const result = scorer.score(text).policies.find((r) => r.policy === policy.id);
      const flagged = result?.flagged ?? false;
      if (flagged === (kind === 'flagged')) {
        passed++;
        continue;
      }
      failures.push({
        policy: policy.id,
        kind,
        text,
        score: result?.score ?? 0,
        rationale: result?.rationale ?? 'no signal',
        evidence: result?.evidence ?? [],
      });
    }
    return { policy: policy.id, examples: cases.length, passed };
  });
  return { policies, failures };
}

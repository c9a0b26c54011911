import type { PolicySet } from '../policies/loader.ts';
import { decide } from './decide.ts';
import type { LocalScorer } from './local-scorer.ts';
import type { Verdict } from './types.ts';

export interface ScoredPost {
  verdict: Verdict;
  scorers: string[];
  timings: Record<string, number>;
}

/** Scores a post's body with every scorer in force and decides its action. Pure apart from timing. */
export function scorePost(policySet: PolicySet, scorer: LocalScorer, text: string): ScoredPost {
  const started = performance.now();
  const results = scorer.score(text);
  const localMs = performance.now() - started;
  return {
    verdict: decide(policySet.byId, results),
    scorers: ['local'],
    timings: { local_ms: Math.round(localMs * 1000) / 1000 },
  };
}

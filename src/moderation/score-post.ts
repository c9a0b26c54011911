import type { PolicySet } from '../policies/loader.ts';
import { decide } from './decide.ts';
import type { LocalScorer } from './local-scorer.ts';
import type { ForumOverrides } from './overrides.ts';
import type { TextFormat } from './text/prepare-text.ts';
import type { Verdict } from './types.ts';

export interface ScoredPost {
  verdict: Verdict;
  scorers: string[];
  timings: Record<string, number>;
  language: string;
}

/** Scores a post with every scorer in force and decides its action. Pure apart from timing. */
export function scorePost(
  policySet: PolicySet,
  scorer: LocalScorer,
  text: string,
  format: TextFormat = 'text',
  overrides: ForumOverrides = {},
): ScoredPost {
  const started = performance.now();
  const local = scorer.score(text, format);
  const localMs = performance.now() - started;
  return {
    verdict: decide(policySet.byId, local.policies, overrides),
    scorers: local.scorers,
    timings: { local_ms: Math.round(localMs * 1000) / 1000 },
    language: local.language,
  };
}

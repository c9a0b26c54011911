import type { PolicySet } from '../policies/loader.ts';
import { decide } from './decide.ts';
import type { LocalScore, LocalScorer } from './local-scorer.ts';
import type { ForumOverrides } from './overrides.ts';
import type { TextFormat } from './text/prepare-text.ts';
import type { PolicyResult, Verdict } from './types.ts';

export interface ScoredPost {
  verdict: Verdict;
  scorers: string[];
  timings: Record<string, number>;
  language: string;
}

export interface PostText {
  body: string;
  format?: TextFormat;
  /** Scored too: a hostile title over a harmless body is still hostile. */
  title?: string;
}

/** Scores a post with every scorer in force and decides its action. Pure apart from timing. */
export function scorePost(policySet: PolicySet, scorer: LocalScorer, post: PostText, overrides: ForumOverrides = {}): ScoredPost {
  const started = performance.now();
  const body = scorer.score(post.body, post.format ?? 'text');
  const local = post.title?.trim() ? withTitle(body, scorer.score(post.title, 'text')) : body;
  const localMs = performance.now() - started;
  return {
    verdict: decide(policySet.byId, local.policies, overrides),
    scorers: local.scorers,
    timings: { local_ms: Math.round(localMs * 1000) / 1000 },
    language: local.language,
  };
}

/** Per policy, the higher of body and title; title evidence is marked so offsets are not misread. */
function withTitle(body: LocalScore, title: LocalScore): LocalScore {
  const policies = body.policies.map((b): PolicyResult => {
    const t = title.policies.find((p) => p.policy === b.policy);
    if (!t || t.score <= b.score) return b;
    return { ...t, evidence: t.evidence.map((e) => ({ ...e, field: 'title' as const })) };
  });
  return { ...body, policies };
}

import type { ForumOverrides } from '../moderation/overrides.ts';
import type { PolicyId, PolicyResult } from '../moderation/types.ts';
import type { Policy } from '../policies/schema.ts';
import type { LlmJudgement } from './judgement.ts';
import { mapQuotes } from './map-quotes.ts';

/**
 * Combines the local results with the model's judgements of the policies it was asked about.
 * The model can only add: a flag it makes raises the score to at least the `flag_at` in force
 * (so the post goes to review or further), and to its confidence when that is higher; it never
 * lowers a score. Whatever a post talks the model into, the result is never more lenient than
 * the local scorer alone.
 */
export function mergeJudgements(
  local: readonly PolicyResult[],
  judgements: readonly LlmJudgement[],
  policies: ReadonlyMap<PolicyId, Policy>,
  asked: readonly PolicyId[],
  body: string,
  overrides: ForumOverrides = {},
): PolicyResult[] {
  return local.map((result) => {
    const judgement = judgements.find((j) => j.policy === result.policy);
    const policy = policies.get(result.policy);
    if (!judgement || !policy || !asked.includes(result.policy) || !judgement.flagged) return result;
    // The forum's own flag_at, when it moved it: a model flag must flag the post there too.
    const flagAt = overrides[result.policy]?.flag_at ?? policy.flag_at;
    const score = Math.round(Math.max(result.score, flagAt, judgement.confidence) * 1000) / 1000;
    if (score <= result.score) return result;
    const evidence = mapQuotes(body, judgement.quotes);
    return {
      ...result,
      score,
      flagged: true,
      evidence: evidence.length > 0 ? evidence : result.evidence,
      rationale: `${judgement.rationale.trim() || `judged a ${policy.title.toLowerCase()} violation`} (LLM)`,
    };
  });
}

/** Policies whose local score falls inside their uncertain band: the ones worth asking about. */
export function uncertainPolicies(
  results: readonly PolicyResult[],
  policies: ReadonlyMap<PolicyId, Policy>,
  bands: Partial<Record<PolicyId, { low: number; high: number }>> = {},
): PolicyId[] {
  return results
    .filter((r) => {
      const band = bands[r.policy] ?? policies.get(r.policy)?.uncertain_band;
      return band !== undefined && r.score >= band.low && r.score <= band.high;
    })
    .map((r) => r.policy);
}

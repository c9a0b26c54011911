import type { PolicySet } from '../policies/loader.ts';
import { createLocalScorer } from './local-scorer.ts';
import type { TextFormat } from './text/prepare-text.ts';

/** The policy whose signals make a post a possible crisis. */
export const CRISIS_POLICY = 'self_harm';

export interface CrisisCheck {
  /**
   * True when any crisis signal fires on the post's body or title: a rule of the `self_harm`
   * policy, primary or amplifier (crisis language about the writer, urging another to self-harm,
   * a goodbye, a time set). Leans toward recall on purpose: a false alarm costs only queue
   * order, since the full scorer still decides the post; a miss waits behind the backlog.
   */
  mayBeCrisis(post: { body: string; format?: TextFormat; title?: string }): boolean;
}

/**
 * Compiles the crisis check for a policy set: the `self_harm` policy's rule signals alone, with
 * no model and no other policy, so it costs a fraction of a full score and can run at ingest.
 * Built once per policy set (see ActivePolicies), so a published set changes it too.
 */
export function createCrisisCheck(policySet: PolicySet): CrisisCheck {
  const policy = policySet.byId.get(CRISIS_POLICY);
  // A set without the policy has no crisis signals: nothing goes to the lane.
  if (!policy) return { mayBeCrisis: () => false };
  const scorer = createLocalScorer([policy], undefined, policySet.knowledge);
  return {
    mayBeCrisis(post) {
      if (scorer.firedSignals(post.body, post.format ?? 'text').length > 0) return true;
      return post.title?.trim() ? scorer.firedSignals(post.title, 'text').length > 0 : false;
    },
  };
}

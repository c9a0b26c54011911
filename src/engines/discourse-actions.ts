import type { Decision } from '../db/schema/index.ts';
import type { PostInput } from '../jobs/payloads.ts';
import type { Integrations } from './engine.ts';

/** Discourse's post action types (PostActionType): 4 inappropriate, 7 notify moderators. */
const INAPPROPRIATE = 4;
const NOTIFY_MODERATORS = 7;

export interface DiscourseAction {
  /** The request to POST to {base_url}/post_actions.json as the configured staff user. */
  request: { id: number; post_action_type_id: number; flag_topic: false; take_action?: true; message?: string };
  action: 'flag' | 'hide';
}

/**
 * What Hearth does in Discourse for a decision on a post that came from it: a held post is
 * flagged into Discourse's review queue with Hearth's reasons; a removed post is flagged by
 * staff with `take_action`, which hides it at once (Discourse's own "flag and take action").
 * Nothing for other verdicts, other engines, or a forum without an API key.
 */
export function discourseActionFor(
  decision: Pick<Decision, 'action' | 'policies'>,
  post: PostInput,
  integrations: Integrations,
): DiscourseAction | undefined {
  const settings = integrations.discourse;
  if (post.metadata?.engine !== 'discourse' || !settings?.base_url || !settings.api_key) return undefined;
  if (decision.action !== 'hold' && decision.action !== 'remove') return undefined;
  const id = Number(post.id);
  if (!Number.isSafeInteger(id)) return undefined;
  if (decision.action === 'remove') {
    return { action: 'hide', request: { id, post_action_type_id: INAPPROPRIATE, flag_topic: false, take_action: true } };
  }
  const reasons = decision.policies
    .filter((p) => p.flagged)
    .map((p) => `${p.policy} (${p.score.toFixed(2)}): ${p.rationale}`)
    .join('; ');
  return {
    action: 'flag',
    request: {
      id,
      post_action_type_id: NOTIFY_MODERATORS,
      flag_topic: false,
      message: `Hearth held this post for review. ${reasons}`.slice(0, 1000),
    },
  };
}

import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type Action, forums } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { type PolicyMetrics, policyMetrics } from '../evaluation/metrics.ts';
import { createLocalScorer } from '../moderation/local-scorer.ts';
import { parseForumOverrides } from '../moderation/overrides.ts';
import { scorePost } from '../moderation/score-post.ts';
import { type PolicyId, policyIds } from '../moderation/types.ts';
import type { PolicySet } from '../policies/loader.ts';
import { storedPosts } from './stored-posts.ts';

export interface ReplayedPost {
  post_id: string;
  revision: number;
  stored: { action: Action; flagged: PolicyId[]; policy_set_version: string };
  draft: { action: Action; flagged: PolicyId[] };
  /** The moderator's view, when the decision was reviewed. */
  review: { outcome: 'confirm' | 'override'; action: Action; labels: PolicyId[] } | null;
}

export interface ReplayReport {
  forum_id: string;
  since: string | null;
  policy_set_version: string;
  posts: number;
  /** Posts whose action the draft would change, against the stored decision. */
  changed: ReplayedPost[];
  transitions: Record<string, number>;
  /** On reviewed posts, each policy's flags against the moderators' labels: stored versus draft. */
  against_reviews: {
    reviewed: number;
    /** Reviewed posts whose action the draft would set differently from the moderator's. */
    disagree_with_moderator: number;
    stored_agrees_with_moderator: number;
    draft_agrees_with_moderator: number;
    policies: Record<PolicyId, { stored: PolicyMetrics; draft: PolicyMetrics }>;
  };
}

/**
 * Shadow mode: re-scores a forum's stored posts with draft policies (and the forum's own
 * overrides, as the worker would) and reports what would change, against the stored decisions
 * and against moderator reviews. It only reads, inside a read-only transaction, so it cannot
 * store a decision, queue a job or send a callback.
 */
export async function replayForum(
  db: Db,
  policySet: PolicySet,
  opts: { forumId: string; since?: Date; onPost?: () => void; onTotal?: (n: number) => void },
): Promise<ReplayReport> {
  const { forum, posts } = await db.transaction(
    async (tx) => {
      const [forum] = await tx.select().from(forums).where(eq(forums.id, opts.forumId));
      if (!forum) throw new AppError('forum_not_found', `forum ${opts.forumId} does not exist; see npx hearth forums list`);
      return { forum, posts: await storedPosts(tx, opts.forumId, { since: opts.since }) };
    },
    { accessMode: 'read only' },
  );
  opts.onTotal?.(posts.length);
  const overrides = parseForumOverrides(forum.policyOverrides);
  const scorer = createLocalScorer(policySet.policies, policySet.model, policySet.knowledge);
  const replayed: ReplayedPost[] = posts.map((p) => {
    const scored = scorePost(policySet, scorer, { body: p.body, format: p.format, title: p.title ?? undefined }, overrides);
    opts.onPost?.();
    return {
      post_id: p.postId,
      revision: p.revision,
      stored: { action: p.decision.action, flagged: flaggedOf(p.decision.policies), policy_set_version: p.decision.policySetVersion },
      draft: { action: scored.verdict.action, flagged: flaggedOf(scored.verdict.policies) },
      review: p.review ? { outcome: p.review.outcome, action: p.review.action, labels: p.review.labels } : null,
    };
  });

  const changed = replayed.filter((r) => r.stored.action !== r.draft.action);
  const transitions: Record<string, number> = {};
  for (const r of changed)
    transitions[`${r.stored.action} → ${r.draft.action}`] = (transitions[`${r.stored.action} → ${r.draft.action}`] ?? 0) + 1;
  const reviewed = replayed.filter((r) => r.review);
  const counts = (side: 'stored' | 'draft', policy: PolicyId) => {
    const c = { tp: 0, fp: 0, fn: 0 };
    for (const r of reviewed) {
      const labelled = r.review?.labels.includes(policy) ?? false;
      const flagged = r[side].flagged.includes(policy);
      if (labelled && flagged) c.tp++;
      else if (flagged) c.fp++;
      else if (labelled) c.fn++;
    }
    return policyMetrics(c);
  };
  return {
    forum_id: opts.forumId,
    since: opts.since?.toISOString() ?? null,
    policy_set_version: policySet.version,
    posts: replayed.length,
    changed,
    transitions,
    against_reviews: {
      reviewed: reviewed.length,
      disagree_with_moderator: reviewed.filter((r) => r.draft.action !== r.review?.action).length,
      stored_agrees_with_moderator: reviewed.filter((r) => r.stored.action === r.review?.action).length,
      draft_agrees_with_moderator: reviewed.filter((r) => r.draft.action === r.review?.action).length,
      policies: Object.fromEntries(
        policyIds.map((p) => [p, { stored: counts('stored', p), draft: counts('draft', p) }]),
      ) as ReplayReport['against_reviews']['policies'],
    },
  };
}

function flaggedOf(policies: ReadonlyArray<{ policy: PolicyId; flagged: boolean }>): PolicyId[] {
  return policies.filter((p) => p.flagged).map((p) => p.policy);
}

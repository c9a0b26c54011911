import { randomUUID } from 'node:crypto';
import { createApiKey } from '../../src/auth/api-keys.ts';
import type { AppContext } from '../../src/context.ts';
import type { ApiKeyRole, Decision } from '../../src/db/schema/index.ts';
import { recordDecision } from '../../src/decisions/record-decision.ts';
import { contentHash, submissionId } from '../../src/ingest/submission.ts';
import { JOB_DELIVER, type ModerateJob } from '../../src/jobs/payloads.ts';
import { scorePost } from '../../src/moderation/score-post.ts';
import { type ModerationAction, type PolicyId, type PolicyResult, policyIds } from '../../src/moderation/types.ts';

export interface SeedOptions {
  forumId?: string;
  postId?: string;
  body?: string;
  action?: ModerationAction;
  urgent?: boolean;
  flagged?: Array<{ policy: PolicyId; score: number; evidence?: Array<{ start: number; end: number }> }>;
  receivedAt?: Date;
}

/**
 * Stores a decision the way the moderation worker does (revision, decision, audit events,
 * pending delivery, one transaction) without running the scorer, so dashboard tests can set
 * up exactly the decisions they need.
 */
export async function seedDecision(ctx: AppContext, opts: SeedOptions = {}): Promise<Decision> {
  const forumId = opts.forumId ?? 'chronic-pain';
  const body = opts.body ?? 'Physio again today; the new stretches help a little.';
  const post = {
    id: opts.postId ?? `post-${randomUUID().slice(0, 8)}`,
    author: { id: 'u-1', name: 'Robin' },
    body,
    format: 'text' as const,
  };
  const policies: PolicyResult[] = policyIds.map((policy) => {
    const flag = opts.flagged?.find((f) => f.policy === policy);
    return {
      policy,
      score: flag?.score ?? 0,
      flagged: flag !== undefined,
      evidence: (flag?.evidence ?? []).map((e) => ({ ...e, text: body.slice(e.start, e.end) })),
      rationale: flag ? `seeded ${policy} flag` : 'no signal',
    };
  });
  const { decision, pendingDeliveryIds } = await recordDecision(ctx.database.db, {
    job: {
      forumId,
      submissionId: `sub_${randomUUID()}`,
      contentHash: contentHash(post),
      receivedAt: (opts.receivedAt ?? new Date()).toISOString(),
      post,
    },
    policySetVersion: ctx.policySet.version,
    verdict: { action: opts.action ?? 'allow', urgent: opts.urgent ?? false, policies },
    scorers: ['local-rules'],
    timings: { score_ms: 1 },
    language: 'en',
  });
  // As the moderation worker does after commit.
  for (const deliveryId of pendingDeliveryIds) await ctx.queues.deliver.add(JOB_DELIVER, { deliveryId }, { jobId: deliveryId });
  return decision;
}

/**
 * Scores a post and stores its decision as the moderation worker does, and stops there: the
 * worker's later steps (queueing the callback) are the test's to do or to leave out.
 */
export function scoreAndRecord(ctx: AppContext, post: ModerateJob['post'], forumId = 'chronic-pain') {
  const hash = contentHash(post);
  const scored = scorePost(ctx.policySet, ctx.scorer, post);
  return recordDecision(ctx.database.db, {
    job: { forumId, submissionId: submissionId(forumId, post.id, hash), contentHash: hash, receivedAt: new Date().toISOString(), post },
    policySetVersion: ctx.policySet.version,
    verdict: scored.verdict,
    scorers: scored.scorers,
    timings: scored.timings,
  });
}

export async function keyFor(ctx: AppContext, role: ApiKeyRole, forums: string[] = [], opts: { name?: string; expiresAt?: Date } = {}) {
  const { key, record } = await createApiKey(ctx.database.db, { role, forumIds: role === 'admin' ? [] : forums, ...opts });
  return { key, record, headers: { authorization: `Bearer ${key}` } };
}

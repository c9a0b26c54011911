import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext } from '../context.ts';
import type { Forum } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { forumIdSchema } from '../forums/forums.ts';
import type { IngestDeps } from '../ingest/enqueue-post.ts';
import type { HttpEnv } from './env.ts';
import { errorBody } from './error-body.ts';

// What the two forum-facing ingest routes (Standard Webhooks posts, engines' own webhooks) share.

/** Refuses a body over the ingest limit with 413 in the one error shape. */
export function ingestBodyLimit(ctx: AppContext): MiddlewareHandler<HttpEnv> {
  return bodyLimit({
    maxSize: ctx.config.ingest.maxBodyBytes,
    onError: (c) => c.json(errorBody('payload_too_large', `body exceeds ${ctx.config.ingest.maxBodyBytes} bytes`, c.get('requestId')), 413),
  });
}

/** The forum a request names, from the short-lived cache; 404 when there is none, 503 when the lookup fails. */
export async function forumForIngest(ctx: AppContext, forumId: string): Promise<Forum> {
  // An id that no forum can have is unknown without asking the database.
  if (!forumIdSchema.safeParse(forumId).success) throw new AppError('forum_not_found', 'no forum has that id');
  const forum = await ctx.forums.get(forumId).catch((err: unknown) => {
    throw new AppError('unavailable', 'forum lookup failed; retry later', { cause: err });
  });
  if (!forum) throw new AppError('forum_not_found', `forum ${forumId} does not exist`);
  return forum;
}

export function ingestDeps(ctx: AppContext): IngestDeps {
  return {
    queue: ctx.queues.moderate,
    urgentQueue: ctx.queues.moderateUrgent,
    // Read per request: a newly published policy set brings its own check.
    mayBeCrisis: ctx.config.ingest.crisisLane ? (post) => ctx.policies.current().crisisCheck.mayBeCrisis(post) : undefined,
    redis: ctx.redis,
    prefix: ctx.config.queuePrefix,
    timeoutMs: ctx.config.ingest.queueTimeoutMs,
    webhookIdTtlSeconds: ctx.config.ingest.webhookIdTtlSeconds,
  };
}

import type { MiddlewareHandler } from 'hono';
import { findActiveKey, keyCanSeeForum } from '../../auth/api-keys.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { forumIdSchema } from '../../forums/forums.ts';
import { verify } from '../../webhooks/standard-webhooks.ts';
import type { HttpEnv } from '../env.ts';
import { takeIngestRate, takeKeyRate } from '../rate-limit.ts';

/**
 * Lets through an API key that may see the forum, or a request the forum itself signed with
 * its ingest secret (Standard Webhooks with the request path, e.g.
 * `/v1/forums/chronic-pain/posts/post-1/verdict`, as the signed body), so a forum can poll for
 * verdicts with the secret it already holds.
 */
export function forumReaderAuth(ctx: AppContext): MiddlewareHandler<HttpEnv> {
  return async function authenticateReader(c, next) {
    const forumId = c.req.param('forumId') ?? '';
    const postId = c.req.param('postId') ?? '';
    if (!forumIdSchema.safeParse(forumId).success || postId.includes('\u0000') || !postId.isWellFormed()) {
      throw new AppError('not_found', 'no such forum or post');
    }
    const authorization = c.req.header('authorization');
    if (authorization) {
      const [scheme, key] = authorization.split(' ', 2);
      if (scheme?.toLowerCase() !== 'bearer' || !key) throw new AppError('unauthorized', 'use Authorization: Bearer hk_…');
      const record = await findActiveKey(ctx.database.db, key);
      if (!record) throw new AppError('unauthorized', 'unknown, revoked or expired API key');
      await takeKeyRate(ctx, record.id);
      // Another forum's posts are as good as absent: a key learns nothing outside its forums.
      // The verdict carries evidence unmasked; auditors read decisions where it is masked.
      if (record.role === 'auditor')
        throw new AppError('forbidden', 'auditor keys read verdicts through GET /v1/decisions, where contact details are masked');
      if (!keyCanSeeForum(record, forumId)) throw new AppError('not_found', `no verdict for post ${postId} in forum ${forumId}`);
      c.set('apiKey', record);
      return next();
    }
    const signature = c.req.header('webhook-signature');
    if (!signature) throw new AppError('unauthorized', 'send an API key (Authorization: Bearer hk_…) or a forum signature');
    const forum = await ctx.forums.get(forumId).catch((err: unknown) => {
      throw new AppError('unavailable', 'forum lookup failed; retry later', { cause: err });
    });
    if (!forum) throw new AppError('forum_not_found', `forum ${forumId} does not exist`);
    // The signed content is the request's path, as sent: a signature for one post's verdict
    // cannot be replayed against another post's (nor another forum's) within its 5 minutes.
    const failure = verify(
      forum.ingestSecret,
      { id: c.req.header('webhook-id'), timestamp: c.req.header('webhook-timestamp'), signature },
      new URL(c.req.url).pathname,
    );
    if (failure) throw new AppError('invalid_signature', `forum signature rejected: ${failure.replaceAll('_', ' ')}`);
    await takeIngestRate(ctx, forumId);
    return next();
  };
}

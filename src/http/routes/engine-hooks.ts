import { createHash } from 'node:crypto';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext } from '../../context.ts';
import { integrationsSchema } from '../../engines/engine.ts';
import { engines } from '../../engines/index.ts';
import { AppError } from '../../errors.ts';
import { enqueuePost } from '../../ingest/enqueue-post.ts';
import { postSchema } from '../../jobs/payloads.ts';
import type { HttpEnv } from '../env.ts';
import { errorBodySchema } from '../error-body.ts';
import { forumForIngest, ingestBodyLimit, ingestDeps } from '../forum-ingest.ts';
import { takeIngestRate } from '../rate-limit.ts';
import { acceptedSchema } from '../schemas.ts';

const ignoredSchema = z
  .object({ status: z.literal('ignored'), reason: z.string() })
  .openapi('IgnoredEvent', { example: { status: 'ignored', reason: 'Hearth does not moderate topic_created events' } });

/**
 * Forum engines' own webhooks, exactly as the engines send them (Discourse, Mastodon): the
 * engine's signature is checked on the raw body with the secret set for that forum, the body
 * is mapped to a post, and the post is queued like any other. Events Hearth does not moderate
 * answer 200 so the engine does not retry them.
 */
export function engineHookRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<HttpEnv>();
  const errors = { content: { 'application/json': { schema: errorBodySchema } } };
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/hooks/{engine}/{forumId}',
    summary: "A forum engine's own webhook (discourse: post_created, post_edited; mastodon: status.created, status.updated)",
    description:
      'Discourse: X-Discourse-Event and X-Discourse-Event-Signature (sha256= HMAC of the body with the secret set by `hearth forums update ID --discourse-secret`); a retry (the same signed body) gets its first answer back. Mastodon: X-Hub-Signature (sha256=…) with `--mastodon-secret`.',
    tags: ['ingest'],
    request: {
      params: z.object({
        engine: z
          .enum(Object.keys(engines) as [string, ...string[]])
          .openapi({ param: { name: 'engine', in: 'path' }, example: 'discourse' }),
        forumId: z.string().openapi({ param: { name: 'forumId', in: 'path' }, example: 'chronic-pain' }),
      }),
    },
    responses: {
      200: {
        description: 'An event Hearth does not moderate, acknowledged and ignored',
        content: { 'application/json': { schema: ignoredSchema } },
      },
      202: { description: 'Queued for moderation', content: { 'application/json': { schema: acceptedSchema } } },
      400: { description: 'Not JSON, or not a body the engine sends', ...errors },
      401: { description: 'Missing or wrong signature, or no secret set for this engine', ...errors },
      404: { description: 'Unknown engine or forum', ...errors },
      413: { description: 'Body larger than 64 KiB', ...errors },
      429: { description: "Over the forum's ingest rate; Retry-After says when to retry", ...errors },
      503: { description: 'Queue unavailable; the engine retries', ...errors },
    },
  });

  app.post('/v1/hooks/:engine/:forumId', ingestBodyLimit(ctx), async (c) => {
    const receivedAt = new Date();
    // Own keys only: `__proto__`, `constructor` or `toString` name no engine.
    const name = c.req.param('engine');
    const adapter = Object.hasOwn(engines, name) ? engines[name] : undefined;
    if (!adapter) throw new AppError('not_found', `no engine ${name}; Hearth takes ${Object.keys(engines).join(' and ')} webhooks`);
    const forumId = c.req.param('forumId');
    const forum = await forumForIngest(ctx, forumId);
    const integrations = integrationsSchema.safeParse(forum.integrations);
    const secret = integrations.success ? adapter.secretOf(integrations.data) : undefined;
    if (!secret || !integrations.success) {
      throw new AppError(
        'invalid_signature',
        `forum ${forumId} has no ${adapter.name} secret; set one with npx hearth forums update ${forumId} --${adapter.name}-secret …`,
      );
    }

    const rawBody = await c.req.text();
    const header = (name: string) => c.req.header(name);
    if (!adapter.verify(header, rawBody, secret))
      throw new AppError('invalid_signature', `the ${adapter.name} signature does not match the body`);
    await takeIngestRate(ctx, forumId);
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      throw new AppError('invalid_json', 'body is not valid JSON');
    }
    let event: ReturnType<typeof adapter.parse>;
    try {
      event = adapter.parse(header, json, integrations.data);
    } catch (err) {
      throw new AppError('validation_failed', (err as Error).message);
    }
    if (event.kind === 'ignored') return c.json({ status: 'ignored' as const, reason: event.reason }, 200);
    // Checked by the same schema as posts sent to the generic endpoint.
    const post = postSchema.safeParse(event.post);
    if (!post.success) {
      throw new AppError(
        'validation_failed',
        `the ${adapter.name} post cannot be moderated: ${post.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    // The replay key is what the signature covers, the body: an engine header that is not signed
    // (X-Discourse-Event-Id) could otherwise be set by a replayer to the id of a real event
    // still to come, which would then be refused as a conflict and never moderated.
    const webhookId = `${adapter.name}:${createHash('sha256').update(rawBody).digest('hex')}`;
    const { accepted } = await enqueuePost(ingestDeps(ctx), forumId, post.data, {
      webhookId,
      rawBody,
      receivedAt,
      onlyPolicies: event.onlyPolicies,
    });
    return c.json(accepted, 202);
  });
  return app;
}

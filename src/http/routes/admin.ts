import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { createApiKey, keyStatus, listApiKeys, revokeApiKey } from '../../auth/api-keys.ts';
import type { AppContext } from '../../context.ts';
import type { ApiKey } from '../../db/schema/index.ts';
import { redeliver } from '../../deliveries/redeliver.ts';
import { AppError } from '../../errors.ts';
import { JOB_DELIVER } from '../../jobs/payloads.ts';
import { parseDuration } from '../../time/parse-duration.ts';
import {
  apiKeyListSchema,
  apiKeySchema,
  createdKeySchema,
  createKeySchema,
  deliveryParams,
  keyParams,
  redeliverySchema,
} from '../dashboard-schemas.ts';
import type { HttpEnv } from '../env.ts';
import { conflictError, json, keyed, keyedErrors, keyOf } from '../keyed-route.ts';

export function keyView(k: ApiKey) {
  return {
    id: k.id,
    prefix: k.keyPrefix,
    name: k.name,
    role: k.role,
    forums: k.forumIds,
    status: keyStatus(k),
    expires_at: k.expiresAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    created_at: k.createdAt.toISOString(),
  };
}

/** Admin-only routes: API keys and redelivery. */
export function adminRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<HttpEnv>();
  const admins = keyed(ctx, ['admin']);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/api-keys',
      summary: 'Every API key (never the key itself), newest first',
      tags: ['admin'],
      ...admins,
      responses: { 200: { description: 'The keys', ...json(apiKeyListSchema) }, ...keyedErrors },
    }),
    async (c) => c.json((await listApiKeys(ctx.database.db)).map(keyView), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/api-keys',
      summary: 'Create an API key; the response shows it once',
      description: 'Moderator and auditor keys need at least one forum; admin keys see every forum.',
      tags: ['admin'],
      ...admins,
      request: { body: { required: true, ...json(createKeySchema) } },
      responses: { 201: { description: 'The new key', ...json(createdKeySchema) }, ...keyedErrors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const ms = body.expires_in ? parseDuration(body.expires_in) : undefined;
      const { key, record } = await createApiKey(ctx.database.db, {
        role: body.role,
        forumIds: body.forums,
        name: body.name,
        expiresAt: ms ? new Date(Date.now() + ms) : undefined,
      });
      return c.json({ ...keyView(record), key }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/api-keys/{id}',
      summary: 'Revoke an API key (at once; revoking twice is harmless)',
      tags: ['admin'],
      ...admins,
      request: { params: keyParams },
      responses: { 200: { description: 'The revoked key', ...json(apiKeySchema) }, ...keyedErrors },
    }),
    async (c) => {
      const revoked = await revokeApiKey(ctx.database.db, c.req.valid('param').id);
      if (!revoked) throw new AppError('not_found', `no API key ${c.req.valid('param').id}`);
      return c.json(keyView(revoked), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/deliveries/{id}/redeliver',
      summary: 'Send a finished callback again',
      description:
        'Creates a new delivery with the same payload, its own webhook-id and a fresh attempt budget, linked to the original by redelivery_of. 409 while the original is still being attempted or when the forum has no active callback URL.',
      tags: ['admin'],
      ...admins,
      request: { params: deliveryParams },
      responses: { 202: { description: 'Queued', ...json(redeliverySchema) }, ...keyedErrors, ...conflictError },
    }),
    async (c) => {
      const original = c.req.valid('param').id;
      const copy = await redeliver(ctx.database.db, original, `key:${keyOf(c.get('apiKey')).id}`);
      await ctx.queues.deliver
        .add(JOB_DELIVER, { deliveryId: copy.deliveryId }, { jobId: copy.deliveryId })
        .catch((err: unknown) =>
          ctx.log.warn({ err: (err as Error).message, delivery_id: copy.deliveryId }, 'could not queue redelivery; the sweep will'),
        );
      return c.json({ delivery_id: copy.deliveryId, webhook_id: copy.webhookId, redelivery_of: original }, 202);
    },
  );

  return app;
}

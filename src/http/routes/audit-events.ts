import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type CheckpointReport,
  checkpointSchema,
  checkpointView,
  listCheckpoints,
  verifyWithCheckpoint,
} from '../../audit/audit-checkpoints.ts';
import { auditEventView } from '../../audit/audit-event-view.ts';
import { pendingEvents } from '../../audit/audit-log.ts';
import { type AuditFilters, exportAuditEvents, listAuditEvents } from '../../audit/list-audit-events.ts';
import { keyCanSeeForum, scopeOf } from '../../auth/api-keys.ts';
import { assertInScope } from '../../auth/forum-scope.ts';
import type { AppContext } from '../../context.ts';
import { describeDatabaseError } from '../../db/database-error.ts';
import { AppError } from '../../errors.ts';
import { auditEventPageSchema, auditQuery, chainReportSchema, exampleAuditEvent, exportQuery, verifyQuery } from '../dashboard-schemas.ts';
import type { HttpEnv } from '../env.ts';
import { errorBody } from '../error-body.ts';
import { json, keyed, keyedErrors, keyOf } from '../keyed-route.ts';

function filtersOf(q: z.infer<typeof exportQuery>): AuditFilters {
  return {
    forumId: q.forum_id,
    type: q.type,
    subjectId: q.subject_id,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  };
}

/**
 * Events are sealed into the chain milliseconds after their commit; a reader first seals what
 * waits (its forum's, or every forum's), so what it reads is what it just did, with its seq.
 */
async function sealBeforeReading(ctx: AppContext, forumId?: string): Promise<void> {
  if (forumId) await ctx.audit.sealer.seal(forumId);
  else await ctx.audit.sealer.sealAll();
}

async function chainReport(ctx: AppContext, forumId: string, kept?: z.infer<typeof checkpointSchema>) {
  await sealBeforeReading(ctx, forumId);
  const report: CheckpointReport = await verifyWithCheckpoint(ctx.database.db, forumId, ctx.audit.key, kept);
  return {
    forum_id: forumId,
    ok: report.ok,
    checked: report.checked,
    first_broken: report.firstBroken ?? null,
    keyed: ctx.audit.key !== undefined,
    ...(report.unkeyed !== undefined ? { unkeyed: report.unkeyed } : {}),
    head: report.head ?? null,
    pending: await pendingEvents(ctx.database.db, forumId),
    checkpoint: report.checkpoint ?? null,
  };
}

const exampleCheckpoint = {
  type: 'audit.checkpoint' as const,
  forum_id: 'chronic-pain',
  seq: 1836,
  hash: '9c1e4f0b7a2d5e8c3f6a9b0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6',
  created_at: '2026-05-04T10:20:00.000Z',
  key_id: '4f0c2a9e1b7d3c55',
  signature: 'q0Jm…base64 Ed25519 signature…',
  public_key: 'MCowBQYDK2VwAyEA…',
};

/** The `audit.checkpoint` callback, as the OpenAPI document's webhooks show it. */
export const checkpointCallbackSchema = z.object(checkpointSchema.shape).openapi('AuditCheckpoint', { example: exampleCheckpoint });

/** The audit log: list, verify the hash chain, export as JSON Lines. */
export function auditRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<HttpEnv>();
  const readers = keyed(ctx, ['admin', 'moderator', 'auditor']);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/audit-events',
      summary: 'Audit events, newest first, filtered and paged',
      tags: ['audit'],
      ...readers,
      request: { query: auditQuery },
      responses: { 200: { description: 'A page of events', ...json(auditEventPageSchema) }, ...keyedErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const key = keyOf(c.get('apiKey'));
      await sealBeforeReading(ctx, q.forum_id);
      const page = await listAuditEvents(ctx.database.db, scopeOf(key), filtersOf(q), {
        limit: q.limit,
        cursor: q.cursor,
      });
      const mask = key.role === 'auditor';
      return c.json({ items: page.items.map((e) => auditEventView(e, { mask })), next_cursor: page.next_cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/audit-events/verify',
      summary: "Walk a forum's hash chain and report the first broken link",
      tags: ['audit'],
      ...readers,
      request: { query: verifyQuery },
      responses: {
        200: { description: 'The verification (ok false names the first broken event)', ...json(chainReportSchema) },
        ...keyedErrors,
      },
    }),
    async (c) => {
      const forumId = c.req.valid('query').forum_id;
      if (!keyCanSeeForum(keyOf(c.get('apiKey')), forumId)) throw new AppError('not_found', `no forum ${forumId}`);
      return c.json(await chainReport(ctx, forumId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/audit-events/verify',
      summary: "Verify a forum's chain against a checkpoint the forum kept",
      description:
        'The body is an `audit.checkpoint` callback exactly as the forum received it. Verification fails when the checkpoint is not signed by this Hearth, when the chain no longer reaches its seq (newest events deleted), or holds another hash there (rewritten, even with every hash recomputed).',
      tags: ['audit'],
      ...readers,
      request: { body: { content: { 'application/json': { schema: checkpointSchema, example: exampleCheckpoint } }, required: true } },
      responses: {
        200: { description: 'The verification (ok false names what failed)', ...json(chainReportSchema) },
        ...keyedErrors,
      },
    }),
    async (c) => {
      const kept = c.req.valid('json');
      if (!keyCanSeeForum(keyOf(c.get('apiKey')), kept.forum_id)) throw new AppError('not_found', `no forum ${kept.forum_id}`);
      return c.json(await chainReport(ctx, kept.forum_id, kept), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/audit-events/checkpoints',
      summary: "A forum's signed checkpoints, newest first, and the key that signs them",
      description:
        'The same checkpoints the forum received as `audit.checkpoint` callbacks. Keep them outside Hearth: a checkpoint only protects against a database administrator if its copy is not in the database.',
      tags: ['audit'],
      ...readers,
      request: { query: verifyQuery },
      responses: {
        200: {
          description: 'Checkpoints (at most 100) and the public key (base64 SPKI DER, Ed25519)',
          content: {
            'application/json': {
              schema: z
                .object({ items: z.array(checkpointSchema), key_id: z.string().nullable(), public_key: z.string().nullable() })
                .openapi('Checkpoints', {
                  example: { items: [exampleCheckpoint], key_id: exampleCheckpoint.key_id, public_key: exampleCheckpoint.public_key },
                }),
            },
          },
        },
        ...keyedErrors,
      },
    }),
    async (c) => {
      const forumId = c.req.valid('query').forum_id;
      if (!keyCanSeeForum(keyOf(c.get('apiKey')), forumId)) throw new AppError('not_found', `no forum ${forumId}`);
      const rows = await listCheckpoints(ctx.database.db, forumId);
      const key = ctx.audit.key;
      return c.json(
        { items: rows.map((r) => checkpointView(r, key)), key_id: key?.id ?? null, public_key: key?.publicKeyBase64 ?? null },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/audit-events/export',
      summary: 'Every matching audit event, oldest first, streamed as JSON Lines',
      description:
        'The last line of a complete export is `{"export":"complete","count":N}`. An export cut short (the database lost mid-stream) ends with an `{"error":…}` line and an aborted response: without the closing line, the export is incomplete.',
      tags: ['audit'],
      ...readers,
      request: { query: exportQuery },
      responses: {
        200: {
          description: 'One AuditEvent per line, then the closing line',
          content: { 'application/x-ndjson': { schema: z.string(), example: `${JSON.stringify(exampleAuditEvent)}\n` } },
        },
        ...keyedErrors,
      },
    }),
    (c) => {
      const key = keyOf(c.get('apiKey'));
      const scope = scopeOf(key);
      const mask = key.role === 'auditor';
      const filters = filtersOf(c.req.valid('query'));
      // Checked before streaming starts, so a forum outside the key's scope is a plain 404.
      if (filters.forumId !== undefined) assertInScope(scope, filters.forumId, `forum ${filters.forumId}`);
      c.header('content-type', 'application/x-ndjson; charset=utf-8');
      const events = (async function* () {
        await sealBeforeReading(ctx, filters.forumId);
        yield* exportAuditEvents(ctx.database.db, scope, filters);
      })();
      const encoder = new TextEncoder();
      const requestId = c.get('requestId');
      let count = 0;
      // A complete export ends with one `{"export":"complete","count":N}` line. One cut short (a
      // lost database connection) ends with an `{"error":…}` line and the response is aborted,
      // so a client that checks the last line never mistakes a partial export for a whole one.
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const next = await events.next();
            if (next.done) {
              controller.enqueue(encoder.encode(`${JSON.stringify({ export: 'complete', count })}\n`));
              controller.close();
              return;
            }
            count++;
            controller.enqueue(encoder.encode(`${JSON.stringify(auditEventView(next.value, { mask }))}\n`));
          } catch (err) {
            ctx.log.warn({ request_id: requestId, err: describeDatabaseError(err).message, exported: count }, 'audit export cut short');
            const line = errorBody('unavailable', `the export stopped after ${count} events; retry`, requestId);
            controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
            controller.error(err);
          }
        },
        async cancel() {
          await events.return?.(undefined);
        },
      });
      // A streamed body has no zod schema to be typed against (the route documents it as
      // text), hence the cast.
      return c.body(body) as never;
    },
  );

  return app;
}

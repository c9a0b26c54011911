import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { auditEventView } from '../../audit/audit-event-view.ts';
import { verifyAuditChain } from '../../audit/audit-log.ts';
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
      const report = await verifyAuditChain(ctx.database.db, forumId);
      return c.json({ forum_id: forumId, ok: report.ok, checked: report.checked, first_broken: report.firstBroken ?? null }, 200);
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
      if (filters.forumId) assertInScope(scope, filters.forumId, `forum ${filters.forumId}`);
      c.header('content-type', 'application/x-ndjson; charset=utf-8');
      const events = exportAuditEvents(ctx.database.db, scope, filters)[Symbol.asyncIterator]();
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

import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { scopeOf } from '../../auth/api-keys.ts';
import { assertInScope } from '../../auth/forum-scope.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { getForum } from '../../forums/forums.ts';
import { authorHistory } from '../../members/author-history.ts';
import { dropQueuedPosts } from '../../members/drop-queued-posts.ts';
import { forgetAuthor } from '../../members/forget-author.ts';
import { remediesOf, updateRemedies } from '../../members/forum-remedies.ts';
import { listThreadAlerts, resolveThreadAlert } from '../../members/thread-alerts.ts';
import type { HttpEnv } from '../env.ts';
import { conflictError, json, keyed, keyedErrors, keyOf } from '../keyed-route.ts';
import {
  authorHistorySchema,
  authorParams,
  forgetResultSchema,
  remediesChangeSchema,
  remediesParams,
  remediesSchema,
  resolveThreadAlertSchema,
  threadAlertListSchema,
  threadAlertParams,
  threadAlertSchema,
  threadAlertsQuery,
} from '../member-schemas.ts';

/** Members and remedies: an author's history and standing, and a forum's remedy settings. */
export function memberRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<HttpEnv>();
  const moderators = keyed(ctx, ['admin', 'moderator']);
  const admins = keyed(ctx, ['admin']);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/forums/{forumId}/authors/{authorId}',
      summary: "A member's history: decisions, flags per policy over time, reviews and current standing",
      description:
        "For the forum's moderators. `standing.rules_in_force` are the escalation rules that raise this author's posts now, with the flags that brought each into force and when it expires. 404 for an author with no decisions here, or whose data was erased.",
      tags: ['members'],
      ...moderators,
      request: { params: authorParams },
      responses: { 200: { description: "The author's history", ...json(authorHistorySchema) }, ...keyedErrors },
    }),
    async (c) => {
      const { forumId, authorId } = c.req.valid('param');
      return c.json(await authorHistory(ctx.database.db, scopeOf(keyOf(c.get('apiKey'))), forumId, authorId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/forums/{forumId}/authors/{authorId}',
      summary: 'Erase a member: their post text, evidence quotes and review notes about them; their id becomes a salted hash',
      description:
        "Admin only, in one transaction with an `author_forgotten` audit event. Decisions, scores, offsets and content hashes stay, and the audit chain verifies afterwards (it never held text or author ids). The salt is not kept, so the hash cannot be linked back. The author's history answers 404 afterwards. Queued moderation jobs of their posts are removed from Redis too.",
      tags: ['members'],
      ...admins,
      request: { params: authorParams },
      responses: { 200: { description: 'What was erased', ...json(forgetResultSchema) }, ...keyedErrors },
    }),
    async (c) => {
      const { forumId, authorId } = c.req.valid('param');
      const { submission_ids, ...result } = await forgetAuthor(ctx.database.db, forumId, authorId, {
        actor: `key:${keyOf(c.get('apiKey')).id}`,
      });
      const jobs = await dropQueuedPosts(ctx.queues, submission_ids).catch((err: unknown) => {
        ctx.log.warn(
          { err: (err as Error).message, forum_id: forumId },
          'could not remove queued jobs of an erased author; they expire within a day',
        );
        return 0;
      });
      return c.json({ ...result, queued_jobs: jobs }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/forums/{forumId}/remedies',
      summary: "A forum's member remedies: escalation rules and tense-thread settings",
      tags: ['members'],
      ...moderators,
      request: { params: remediesParams },
      responses: { 200: { description: 'The settings in force', ...json(remediesSchema) }, ...keyedErrors },
    }),
    async (c) => {
      const { forumId } = c.req.valid('param');
      assertInScope(scopeOf(keyOf(c.get('apiKey'))), forumId, `forum ${forumId}`);
      const forum = await getForum(ctx.database.db, forumId);
      if (!forum) throw new AppError('forum_not_found', `no forum ${forumId}`);
      return c.json(remediesOf(forum.remedies), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/forums/{forumId}/remedies',
      summary: "Change a forum's member remedies (each part named is replaced; null removes it)",
      description:
        'Validated as a whole; a refused change changes nothing. Recorded as a forum_updated audit event; workers apply it within 30 seconds.',
      tags: ['members'],
      ...admins,
      request: { params: remediesParams, body: { required: true, ...json(remediesChangeSchema) } },
      responses: { 200: { description: 'The settings now in force', ...json(remediesSchema) }, ...keyedErrors },
    }),
    async (c) => {
      const { forumId } = c.req.valid('param');
      const updated = await updateRemedies(ctx.database.db, forumId, c.req.valid('json'), {
        actor: `key:${keyOf(c.get('apiKey')).id}`,
      });
      ctx.forums.invalidate(forumId);
      return c.json(updated, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/thread-alerts',
      summary: 'Thread alerts (pile-ons and threads with a high share of flagged posts), newest first',
      tags: ['members'],
      ...moderators,
      request: { query: threadAlertsQuery },
      responses: { 200: { description: 'Up to 100 alerts', ...json(threadAlertListSchema) }, ...keyedErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await listThreadAlerts(ctx.database.db, scopeOf(keyOf(c.get('apiKey'))), { forumId: q.forum_id, status: q.status });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/thread-alerts/{id}/resolve',
      summary: 'Close a thread alert once a moderator has stepped in',
      description: "Audited. The thread's posts decided before now no longer count toward a new alert; 409 when it was already resolved.",
      tags: ['members'],
      ...moderators,
      request: { params: threadAlertParams, body: { required: false, ...json(resolveThreadAlertSchema) } },
      responses: { 200: { description: 'The resolved alert', ...json(threadAlertSchema) }, ...keyedErrors, ...conflictError },
    }),
    async (c) => {
      const key = keyOf(c.get('apiKey'));
      const body = c.req.valid('json') ?? {};
      const resolved = await resolveThreadAlert(
        ctx.database.db,
        scopeOf(key),
        c.req.valid('param').id,
        { actor: `key:${key.id}`, label: key.name ?? key.keyPrefix },
        body.note,
      );
      return c.json(resolved, 200);
    },
  );

  return app;
}

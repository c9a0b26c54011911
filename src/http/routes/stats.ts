import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { scopeOf } from '../../auth/api-keys.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { forumStats } from '../../stats/forum-stats.ts';
import { statsQuery } from '../dashboard-schemas.ts';
import type { HttpEnv } from '../env.ts';
import { keyed, keyedErrors, keyOf } from '../keyed-route.ts';
import { statsWithUrgentSchema } from '../member-schemas.ts';

const DEFAULT_RANGE_MS = 30 * 86_400_000;

export function statsRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<HttpEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/stats',
      summary: 'Volume, actions, flags per policy, review backlog, moderator agreement and latencies',
      description:
        "Over decisions made in [from, to). The backlog is as of now. Agreement counts reviews in the range of decisions that flagged each policy. Latencies are milliseconds: post received to verdict, and verdict to first review. `urgent_response`: urgent decisions in the range, how many a moderator has acted on, and p50/p95 milliseconds from the post's acceptance to the first review.",
      tags: ['stats'],
      ...keyed(ctx, ['admin', 'moderator', 'auditor']),
      request: { query: statsQuery },
      responses: {
        200: { description: 'The figures', content: { 'application/json': { schema: statsWithUrgentSchema } } },
        ...keyedErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const to = q.to ? new Date(q.to) : new Date();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
      if (from >= to) throw new AppError('validation_failed', 'from must be before to');
      const stats = await forumStats(ctx.database.db, scopeOf(keyOf(c.get('apiKey'))), { forumId: q.forum_id, from, to });
      return c.json(stats, 200);
    },
  );
  return app;
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import { Hono } from 'hono';
import { z } from 'zod';
import { verifyWithCheckpoint } from '../../audit/audit-checkpoints.ts';
import { auditEventView } from '../../audit/audit-event-view.ts';
import { pendingEvents } from '../../audit/audit-log.ts';
import { listAuditEvents } from '../../audit/list-audit-events.ts';
import { scopeOf } from '../../auth/api-keys.ts';
import { assertInScope } from '../../auth/forum-scope.ts';
import type { AppContext } from '../../context.ts';
import { auditEventTypes } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { authorHistory } from '../../members/author-history.ts';
import { dailyVolume } from '../../stats/daily-volume.ts';
import { forumStats } from '../../stats/forum-stats.ts';
import { AuditPage } from './audit-page.tsx';
import { AuthorPage } from './author-page.tsx';
import type { DashboardEnv } from './env.ts';
import { render } from './render.tsx';
import { forumsOf, optional } from './scope.ts';
import { requireRole, signedInOf } from './session.ts';
import { RANGES, StatsPage } from './stats-page.tsx';

const statsQuery = z.object({
  forum_id: optional(z.string().max(63)),
  days: optional(z.enum(Object.keys(RANGES) as ['7', '30', '90'])),
});

const auditQuery = z.object({
  forum_id: optional(z.string().max(63)),
  type: optional(z.enum(auditEventTypes)),
  subject_id: optional(z.string().max(200)),
  cursor: optional(z.string().max(200)),
});

function parsed<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('validation_failed', 'unknown filter value; pick one from the lists');
  return result.data;
}

/** Stats, audit and author pages: reading, for every role within its forums. */
export function insightRoutes(ctx: AppContext) {
  const app = new Hono<DashboardEnv>();

  app.get('/stats', async (c) => {
    const who = signedInOf(c);
    const q = parsed(statsQuery, c.req.query());
    const range = q.days ?? '30';
    const to = new Date();
    const from = new Date(to.getTime() - RANGES[range] * 86_400_000);
    const scope = scopeOf(who.key);
    const [stats, days, forums] = await Promise.all([
      forumStats(ctx.database.db, scope, { forumId: q.forum_id, from, to }),
      dailyVolume(ctx.database.db, scope, { forumId: q.forum_id, from, to }),
      forumsOf(ctx, who.key),
    ]);
    return render(
      c,
      <StatsPage nonce={c.get('nonce')} signedIn={who} stats={stats} days={days} forums={forums} forumId={q.forum_id} range={range} />,
    );
  });

  app.get('/audit', async (c) => {
    const who = signedInOf(c);
    const q = parsed(auditQuery, c.req.query());
    const forums = await forumsOf(ctx, who.key);
    // The chain is per forum: the page shows one forum's, the first the key sees unless picked.
    const forumId = q.forum_id ?? forums[0];
    const scope = scopeOf(who.key);
    if (forumId) assertInScope(scope, forumId, `forum ${forumId}`);
    // As the API does: seal what waits so the page shows what just happened, then verify with
    // the audit key and against the newest checkpoint.
    if (forumId) await ctx.audit.sealer.seal(forumId);
    const [report, pending, page] = forumId
      ? await Promise.all([
          verifyWithCheckpoint(ctx.database.db, forumId, ctx.audit.key),
          pendingEvents(ctx.database.db, forumId),
          listAuditEvents(ctx.database.db, scope, { forumId, type: q.type, subjectId: q.subject_id }, { limit: 100, cursor: q.cursor }),
        ])
      : [undefined, undefined, { items: [], next_cursor: null }];
    const mask = who.key.role === 'auditor';
    return render(
      c,
      <AuditPage
        nonce={c.get('nonce')}
        signedIn={who}
        forums={forums}
        forumId={forumId}
        type={q.type}
        subjectId={q.subject_id}
        report={report}
        events={page.items.map((e) => auditEventView(e, { mask }))}
        pending={pending?.count ?? 0}
        keyed={ctx.audit.key !== undefined}
        nextCursor={page.next_cursor}
      />,
    );
  });

  app.get('/forums/:forumId/authors/:authorId', async (c) => {
    const who = signedInOf(c);
    // An author's history names what a member wrote about; auditors read decisions, masked.
    requireRole(who, ['admin', 'moderator']);
    const history = await authorHistory(ctx.database.db, scopeOf(who.key), c.req.param('forumId'), c.req.param('authorId'));
    return render(c, <AuthorPage nonce={c.get('nonce')} signedIn={who} history={history} />);
  });

  return app;
}

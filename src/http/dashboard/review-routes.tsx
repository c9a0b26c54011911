/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import { Hono } from 'hono';
import { z } from 'zod';
import { scopeOf } from '../../auth/api-keys.ts';
import type { AppContext } from '../../context.ts';
import { getDecisionDetail } from '../../decisions/decision-detail.ts';
import { decisionExtras, threadDecisions } from '../../decisions/related-decisions.ts';
import { queueCommittedDelivery } from '../../deliveries/queue-delivery.ts';
import { AppError } from '../../errors.ts';
import { getForum } from '../../forums/forums.ts';
import { openThreadAlerts, resolveThreadAlert } from '../../members/thread-alerts.ts';
import { parseForumOverrides } from '../../moderation/overrides.ts';
import { actionOrder, type PolicyId, policyIds } from '../../moderation/types.ts';
import { claimDecision, releaseClaim } from '../../reviews/claim-decision.ts';
import { recordReview } from '../../reviews/record-review.ts';
import { reviewQueue } from '../../reviews/review-queue.ts';
import { reviewInputSchema } from '../dashboard-schemas.ts';
import { reviewerOf } from '../keyed-route.ts';
import { DecisionPage } from './decision-page.tsx';
import type { DashboardEnv } from './env.ts';
import { keyLabel } from './layout.tsx';
import { QueuePage } from './queue-page.tsx';
import { render } from './render.tsx';
import { forumsOf, optional } from './scope.ts';
import { checkCsrf, requireRole, signedInOf } from './session.ts';

const queueQuery = z.object({
  forum_id: optional(z.string().max(63)),
  policy: optional(z.enum(policyIds)),
  action: optional(z.enum(actionOrder)),
  cursor: optional(z.string().max(200)),
  done: optional(z.enum(['confirm', 'override', 'resolved'])),
  post: optional(z.string().max(200)),
});

/** The moderator's work: the queue, a decision (claimed on open), reviews and tense threads. */
export function reviewRoutes(ctx: AppContext) {
  const app = new Hono<DashboardEnv>();

  app.get('/queue', async (c) => {
    const who = signedInOf(c);
    const parsed = queueQuery.safeParse(c.req.query());
    if (!parsed.success) throw new AppError('validation_failed', 'unknown filter value; pick one from the lists');
    const q = parsed.data;
    const [queue, threads, forums] = await Promise.all([
      reviewQueue(ctx.database.db, scopeOf(who.key), {
        forumId: q.forum_id,
        keyId: who.key.id,
        includeClaimed: true,
        limit: 200,
        cursor: q.cursor,
        policy: q.policy,
        action: q.action,
        // As the API's queue: a tense thread is one item, listed above the posts.
        groupThreads: true,
      }),
      q.cursor ? [] : openThreadAlerts(ctx.database.db, scopeOf(who.key), q.forum_id),
      forumsOf(ctx, who.key),
    ]);
    const flash =
      q.done === 'resolved' && q.post
        ? `Resolved the alert on thread ${q.post}.`
        : q.done && q.post
          ? `${q.done === 'confirm' ? 'Confirmed' : 'Overrode'} post ${q.post}.`
          : undefined;
    return render(
      c,
      <QueuePage
        nonce={c.get('nonce')}
        signedIn={who}
        items={queue.items}
        threads={threads}
        nextCursor={queue.next_cursor}
        filters={{ forum_id: q.forum_id, policy: q.policy, action: q.action }}
        forums={forums}
        flash={flash}
      />,
    );
  });

  app.get('/decisions/:id', async (c) => {
    const who = signedInOf(c);
    const id = z.uuid().safeParse(c.req.param('id'));
    if (!id.success) throw new AppError('not_found', 'no such decision');
    const scope = scopeOf(who.key);
    // Opening a post claims it, so two moderators do not work it at once; someone else's
    // live claim leaves it readable but not reviewable here.
    let claimConflict = false;
    if (who.key.role !== 'auditor') {
      await claimDecision(ctx.database.db, scope, id.data, reviewerOf(who.key), ctx.config.review.claimMs).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'conflict') claimConflict = true;
        else throw err;
      });
    }
    const detail = await getDecisionDetail(ctx.database.db, scope, id.data, { mask: who.key.role === 'auditor' });
    const [forum, extras, thread] = await Promise.all([
      getForum(ctx.database.db, detail.forum_id),
      decisionExtras(ctx.database.db, detail.id),
      detail.post.thread_id ? threadDecisions(ctx.database.db, detail.forum_id, detail.post.thread_id, detail.post_id) : [],
    ]);
    const overrides = (() => {
      try {
        return parseForumOverrides(forum?.policyOverrides ?? {});
      } catch {
        return {};
      }
    })();
    const flagAt: Partial<Record<PolicyId, number>> = {};
    for (const p of policyIds) {
      const threshold = overrides[p]?.flag_at ?? ctx.policySet.byId.get(p)?.flag_at;
      if (threshold !== undefined) flagAt[p] = threshold;
    }
    return render(
      c,
      <DecisionPage
        nonce={c.get('nonce')}
        signedIn={who}
        detail={detail}
        flagAt={flagAt}
        thread={thread}
        extras={extras}
        claimedByOther={claimConflict && detail.claim ? detail.claim : undefined}
      />,
    );
  });

  app.post('/decisions/:id/review', async (c) => {
    const who = signedInOf(c);
    const form = await c.req.parseBody({ all: true });
    checkCsrf(who, form);
    requireRole(who, ['admin', 'moderator']);
    const id = z.uuid().safeParse(c.req.param('id'));
    if (!id.success) throw new AppError('not_found', 'no such decision');
    const labels = form.labels === undefined ? [] : ([] as unknown[]).concat(form.labels);
    const note = typeof form.note === 'string' && form.note.trim() ? form.note.trim() : undefined;
    const input = reviewInputSchema.safeParse({
      outcome: form.outcome,
      // A confirm keeps the action in force; only an override names one, and always its labels
      // (none ticked: the post is clean). A confirm keeps the labels in force.
      ...(form.outcome === 'override' ? { action: form.action, labels } : {}),
      ...(note ? { note } : {}),
    });
    if (!input.success)
      throw new AppError(
        'validation_failed',
        `the review was not recorded: ${input.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ')}`,
      );
    const { review, deliveryId } = await recordReview(ctx.database.db, scopeOf(who.key), id.data, input.data, reviewerOf(who.key));
    if (deliveryId) await queueCommittedDelivery(ctx.queues, ctx.log, deliveryId, 'verdict.updated');
    return c.redirect(`/dashboard/queue?done=${review.outcome}&post=${encodeURIComponent(review.postId)}`, 303);
  });

  app.post('/decisions/:id/release', async (c) => {
    const who = signedInOf(c);
    checkCsrf(who, await c.req.parseBody());
    requireRole(who, ['admin', 'moderator']);
    const id = z.uuid().safeParse(c.req.param('id'));
    if (!id.success) throw new AppError('not_found', 'no such decision');
    await releaseClaim(ctx.database.db, scopeOf(who.key), id.data, reviewerOf(who.key));
    return c.redirect('/dashboard/queue', 303);
  });

  app.post('/thread-alerts/:id/resolve', async (c) => {
    const who = signedInOf(c);
    const form = await c.req.parseBody();
    checkCsrf(who, form);
    requireRole(who, ['admin', 'moderator']);
    const id = z.uuid().safeParse(c.req.param('id'));
    if (!id.success) throw new AppError('not_found', 'no such thread alert');
    const note = typeof form.note === 'string' && form.note.trim() ? form.note.trim().slice(0, 2000) : undefined;
    const resolved = await resolveThreadAlert(
      ctx.database.db,
      scopeOf(who.key),
      id.data,
      { actor: `key:${who.key.id}`, label: keyLabel(who) },
      note,
    );
    return c.redirect(`/dashboard/queue?done=resolved&post=${encodeURIComponent(resolved.thread_id)}`, 303);
  });

  return app;
}

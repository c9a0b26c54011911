import { type AnyColumn, and, asc, desc, eq, max, sql } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log.ts';
import type { ForumScope } from '../auth/forum-scope.ts';
import { assertInScope, scopedForumCondition } from '../auth/forum-scope.ts';
import type { Db } from '../db/client.ts';
import { type Decision, type ThreadAlert, threadAlerts } from '../db/schema/index.ts';
import { insertDelivery } from '../deliveries/insert-delivery.ts';
import { AppError } from '../errors.ts';
import type { PolicyResult } from '../moderation/types.ts';
import { type ThreadAlertSettings, type ThreadPost, threadTension } from './thread-tension.ts';

/** The newest decisions of a thread's posts the check reads; a longer thread is judged on its latest posts. */
const THREAD_WINDOW = 500;

interface Row extends Record<string, unknown> {
  id: string;
  post_id: string;
  author_id: string | null;
  policies: PolicyResult[];
  received_at: Date | string;
  reply_to_author: string | null;
  labels: string[] | null;
}

/** A post flagged for something other than a crisis can make a thread tense; others cannot. */
export function canRaiseTension(decision: Decision): boolean {
  return decision.policies.some((p) => p.flagged && p.policy !== 'self_harm');
}

/**
 * Checks a thread after one of its posts was decided, in one transaction per thread. With an
 * alert already open, a newly flagged post joins that alert (no new callback): a pile-on of
 * many posts is one alert. Otherwise, when the thread has turned tense (see threadTension),
 * opens an alert with its `thread.alert` callback and audit event. Posts decided before the
 * thread's last alert was resolved do not count again. Returns the callback to queue, if any.
 */
export async function checkThread(
  db: Db,
  settings: ThreadAlertSettings,
  decision: Decision,
  threadId: string,
  now = new Date(),
): Promise<{ alert: ThreadAlert; deliveryId: string | null } | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`thread:${decision.forumId}:${threadId}`}, 0))`);
    const inThread = and(eq(threadAlerts.forumId, decision.forumId), eq(threadAlerts.threadId, threadId));
    const [open] = await tx
      .select()
      .from(threadAlerts)
      .where(and(inThread, eq(threadAlerts.status, 'open')));
    if (open) {
      if (!open.decisionIds.includes(decision.id)) {
        await tx
          .update(threadAlerts)
          .set({ decisionIds: [...open.decisionIds, decision.id] })
          .where(eq(threadAlerts.id, open.id));
      }
      return null;
    }
    const [{ resolvedAt } = { resolvedAt: null }] = await tx
      .select({ resolvedAt: max(threadAlerts.resolvedAt) })
      .from(threadAlerts)
      .where(and(inThread, eq(threadAlerts.status, 'resolved')));
    const rows = (await tx.execute(sql`
      select * from (
        select distinct on (d.post_id) d.id, d.post_id, d.author_id, d.policies, r.received_at, p.author_id as reply_to_author, rv.labels
        from decisions d
        join revisions r on r.id = d.revision_id
        left join posts p on p.forum_id = r.forum_id and p.post_id = r.reply_to
        left join lateral (select labels from reviews where reviews.decision_id = d.id order by reviews.created_at desc limit 1) rv on true
        where r.forum_id = ${decision.forumId} and r.thread_id = ${threadId}
          ${resolvedAt ? sql`and d.decided_at > ${new Date(resolvedAt).toISOString()}` : sql``}
        order by d.post_id, d.revision desc, d.decided_at desc
      ) newest order by received_at desc limit ${THREAD_WINDOW}
    `)) as unknown as Row[];
    const posts: ThreadPost[] = rows
      .map((r) => ({
        decisionId: r.id,
        postId: r.post_id,
        authorId: r.author_id,
        replyToAuthorId: r.reply_to_author,
        receivedAt: new Date(r.received_at),
        policies: r.policies,
        reviewLabels: r.labels,
      }))
      .reverse();
    const tension = threadTension(settings, posts, now);
    if (!tension) return null;

    const [alert] = await tx
      .insert(threadAlerts)
      .values({
        forumId: decision.forumId,
        threadId,
        reason: tension.reason,
        targetAuthorId: tension.targetAuthorId,
        details: tension.details,
        decisionIds: tension.decisionIds,
        openedAt: now,
      })
      .returning();
    if (!alert) throw new Error('thread alert insert returned nothing');
    const deliveryId = await insertDelivery(tx, {
      forumId: decision.forumId,
      decisionId: decision.id,
      eventType: 'thread.alert',
      payload: { type: 'thread.alert', data: threadAlertView(alert) },
    });
    // The audit chain keeps ids, never the member's author id (an erasure could not reach it there).
    await appendAuditEvent(tx, {
      forumId: decision.forumId,
      type: 'thread_alert_opened',
      actor: 'system',
      subjectId: alert.id,
      payload: { thread_id: threadId, reason: alert.reason, decision_ids: alert.decisionIds, delivery_id: deliveryId },
    });
    return { alert, deliveryId };
  });
}

/** A thread alert as forums and moderators see it. */
export function threadAlertView(a: ThreadAlert) {
  return {
    alert_id: a.id,
    forum_id: a.forumId,
    thread_id: a.threadId,
    reason: a.reason,
    target_author_id: a.targetAuthorId,
    decision_ids: a.decisionIds,
    details: a.details,
    status: a.status,
    opened_at: a.openedAt.toISOString(),
    resolved_at: a.resolvedAt?.toISOString() ?? null,
    resolved_by: a.resolvedBy,
    note: a.note,
  };
}

/** Open thread alerts in a key's forums, oldest first: each thread is one item of the review queue. */
export async function openThreadAlerts(db: Db, scope: ForumScope, forumId?: string) {
  const rows = await db
    .select()
    .from(threadAlerts)
    .where(and(scopedForumCondition(threadAlerts.forumId, scope, forumId), eq(threadAlerts.status, 'open')))
    .orderBy(asc(threadAlerts.openedAt))
    .limit(100);
  return rows.map(threadAlertView);
}

/** Thread alerts of a forum, newest first, open or resolved. */
export async function listThreadAlerts(db: Db, scope: ForumScope, opts: { forumId?: string; status?: 'open' | 'resolved' }) {
  const rows = await db
    .select()
    .from(threadAlerts)
    .where(
      and(scopedForumCondition(threadAlerts.forumId, scope, opts.forumId), opts.status ? eq(threadAlerts.status, opts.status) : undefined),
    )
    .orderBy(desc(threadAlerts.openedAt))
    .limit(100);
  return rows.map(threadAlertView);
}

/** A moderator has stepped into the thread: the alert closes, with an audit event. */
export async function resolveThreadAlert(db: Db, scope: ForumScope, alertId: string, by: { actor: string; label: string }, note?: string) {
  return db.transaction(async (tx) => {
    const [alert] = await tx.select().from(threadAlerts).where(eq(threadAlerts.id, alertId)).for('update');
    if (!alert) throw new AppError('not_found', `no thread alert ${alertId}`);
    assertInScope(scope, alert.forumId, `thread alert ${alertId}`);
    if (alert.status === 'resolved') throw new AppError('conflict', `thread alert ${alertId} was resolved by ${alert.resolvedBy}`);
    const [resolved] = await tx
      .update(threadAlerts)
      .set({ status: 'resolved', resolvedAt: new Date(), resolvedBy: by.label, note: note ?? null })
      .where(eq(threadAlerts.id, alertId))
      .returning();
    if (!resolved) throw new Error('thread alert vanished');
    await appendAuditEvent(tx, {
      forumId: alert.forumId,
      type: 'thread_alert_resolved',
      actor: by.actor,
      subjectId: alert.id,
      payload: { thread_id: alert.threadId, reviewer: by.label },
    });
    return threadAlertView(resolved);
  });
}

/** Decision ids grouped into open thread alerts, so the review queue can show each thread once. */
export function inOpenThreadAlert(decisionIdColumn: AnyColumn) {
  return sql`exists (select 1 from thread_alerts ta where ta.status = 'open' and jsonb_exists(ta.decision_ids, ${decisionIdColumn}::text))`;
}

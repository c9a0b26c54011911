import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const threadAlertReasons = ['pile_on', 'flagged_share'] as const;
export type ThreadAlertReason = (typeof threadAlertReasons)[number];

/**
 * A thread turning tense: several members piling on one member, or a high share of flagged
 * posts. At most one open alert per thread (partial unique index), so a pile-on of many posts
 * is one `thread.alert` callback and one review-queue item.
 */
export const threadAlerts = pgTable(
  'thread_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    forumId: text('forum_id').notNull(),
    threadId: text('thread_id').notNull(),
    reason: text('reason', { enum: threadAlertReasons }).notNull(),
    /** The member the pile-on is aimed at (the forum's author id); null for a flagged share. */
    targetAuthorId: text('target_author_id'),
    /** What raised it: the hostile posts and their authors' count, or the thread's flagged share. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    /** The decisions the alert stands on, newest last; the review queue shows them as one item. */
    decisionIds: jsonb('decision_ids').$type<string[]>().notNull(),
    status: text('status', { enum: ['open', 'resolved'] })
      .notNull()
      .default('open'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    note: text('note'),
  },
  (t) => [
    uniqueIndex('thread_alerts_open_uq').on(t.forumId, t.threadId).where(sql`${t.status} = 'open'`),
    index('thread_alerts_forum_idx').on(t.forumId, t.status, t.openedAt),
  ],
);

export type ThreadAlert = typeof threadAlerts.$inferSelect;

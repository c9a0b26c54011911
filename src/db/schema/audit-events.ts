import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

export const auditEventTypes = [
  'received',
  'decided',
  'delivered',
  'delivery_failed',
  'callback_disabled',
  'reviewed',
  'policy_published',
  'forum_created',
  'forum_updated',
  'redelivery_requested',
  'text_purged',
] as const;
export type AuditEventType = (typeof auditEventTypes)[number];

/**
 * Append-only, hash-chained per forum: `hash = sha256(prev_hash + canonical event)`.
 * A database trigger (see migrations) refuses UPDATE and DELETE. Payloads hold ids and
 * hashes, never post text, so purging text later leaves the chain verifiable.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    forumId: text('forum_id').notNull(),
    /** Position in the forum's chain, from 1; unique so two writers cannot fork the chain. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type', { enum: auditEventTypes }).notNull(),
    actor: text('actor').notNull(),
    subjectId: text('subject_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('audit_events_forum_seq_uq').on(t.forumId, t.seq), index('audit_events_subject_idx').on(t.subjectId)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;

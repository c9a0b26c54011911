import { sql } from 'drizzle-orm';
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
  'thread_alert_opened',
  'thread_alert_resolved',
  'author_forgotten',
] as const;
export type AuditEventType = (typeof auditEventTypes)[number];

/**
 * Append-only, hash-chained per forum: `hash = HMAC(audit key, canonical event + prev_hash)`
 * (SHA-256 without a key). An event is written unsealed (no seq, no hash) inside the
 * transaction of the change it records, with no forum-wide lock; the forum's sealer then
 * gives it its place in the chain (src/audit/audit-sealer.ts). A database trigger (see
 * migrations) refuses every UPDATE but that one sealing, and every DELETE. Payloads hold ids
 * and hashes, never post text, so purging text later leaves the chain verifiable.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    forumId: text('forum_id').notNull(),
    /** Position in the forum's chain, from 1; unique so two writers cannot fork the chain. */
    /**
     * Position in the forum's chain, from 1, given when the event is sealed (null until then);
     * unique so two sealers cannot fork the chain.
     */
    seq: bigint('seq', { mode: 'number' }),
    type: text('type', { enum: auditEventTypes }).notNull(),
    actor: text('actor').notNull(),
    subjectId: text('subject_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('audit_events_forum_seq_uq').on(t.forumId, t.seq),
    index('audit_events_subject_idx').on(t.subjectId),
    // What the sealers look for: small, since events wait there only milliseconds.
    index('audit_events_unsealed_idx').on(t.forumId, t.id).where(sql`seq is null`),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;

/**
 * A forum's chain head (seq and hash), signed with Hearth's audit key and sent to the forum as
 * an `audit.checkpoint` callback. A checkpoint the forum kept lets a later verify detect the
 * newest events deleted or the chain rewritten, which a chain alone cannot show.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    forumId: text('forum_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    keyId: text('key_id').notNull(),
    signature: text('signature').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('audit_checkpoints_forum_seq_uq').on(t.forumId, t.seq)],
);

export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;

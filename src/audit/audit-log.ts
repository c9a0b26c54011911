import { createHash } from 'node:crypto';
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.ts';
import { type AuditEvent, type AuditEventType, auditEvents } from '../db/schema/index.ts';
import { canonicalJson } from './canonical-json.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface NewAuditEvent {
  forumId: string;
  type: AuditEventType;
  /** Who caused it: `system`, `forum:<id>`, `key:<id>`, `cli`. */
  actor: string;
  subjectId?: string;
  payload: Record<string, unknown>;
}

type HashedFields = Pick<AuditEvent, 'forumId' | 'seq' | 'type' | 'actor' | 'subjectId' | 'payload' | 'prevHash' | 'createdAt'>;

export function hashEvent(e: HashedFields): string {
  const material = canonicalJson({
    forum_id: e.forumId,
    seq: e.seq,
    type: e.type,
    actor: e.actor,
    subject_id: e.subjectId ?? null,
    payload: e.payload,
    prev_hash: e.prevHash,
    created_at: e.createdAt.getTime(),
  });
  return createHash('sha256').update(material).digest('hex');
}

/**
 * Appends an event to the forum's chain inside the caller's transaction, so the event exists
 * if and only if the change it records does. A transaction-scoped advisory lock per forum
 * orders concurrent writers; the unique (forum, seq) key would reject a fork regardless.
 */
export async function appendAuditEvent(tx: Tx, event: NewAuditEvent): Promise<AuditEvent> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`audit:${event.forumId}`}, 0))`);
  const [last] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.forumId, event.forumId))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const fields: HashedFields = {
    forumId: event.forumId,
    seq: (last?.seq ?? 0) + 1,
    type: event.type,
    actor: event.actor,
    subjectId: event.subjectId ?? null,
    payload: event.payload,
    prevHash: last?.hash ?? GENESIS_HASH,
    createdAt: new Date(),
  };
  const [row] = await tx
    .insert(auditEvents)
    .values({ ...fields, hash: hashEvent(fields) })
    .returning();
  if (!row) throw new Error('audit event insert returned nothing');
  return row;
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; id: number; reason: string };
}

/** Walks a forum's chain in order and reports the first event whose link or hash is wrong. */
export async function verifyAuditChain(db: DbOrTx, forumId: string, batchSize = 1000): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.forumId} = ${forumId} and ${auditEvents.seq} >= ${expectedSeq}`)
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    for (const row of rows) {
      const broken = (reason: string): ChainReport => ({ ok: false, checked, firstBroken: { seq: row.seq, id: row.id, reason } });
      if (row.seq !== expectedSeq) return broken(`expected seq ${expectedSeq}`);
      if (row.prevHash !== prevHash) return broken('prev_hash does not match the previous event');
      if (hashEvent(row) !== row.hash) return broken('hash does not match the event contents');
      prevHash = row.hash;
      expectedSeq++;
      checked++;
    }
    if (rows.length < batchSize) return { ok: true, checked };
  }
}

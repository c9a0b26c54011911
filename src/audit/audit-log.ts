import { and, asc, count, desc, eq, isNotNull, isNull, min, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.ts';
import { type AuditEventType, auditCheckpoints, auditEvents } from '../db/schema/index.ts';
import { type AuditKey, chainDigest } from './audit-key.ts';
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

export interface HashedFields {
  forumId: string;
  seq: number;
  type: AuditEventType;
  actor: string;
  subjectId: string | null;
  payload: Record<string, unknown>;
  prevHash: string;
  createdAt: Date;
}

/** The event's link in the chain: keyed (HMAC) when Hearth has an audit key, SHA-256 before. */
export function hashEvent(e: HashedFields, key?: AuditKey): string {
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
  return chainDigest(key, material);
}

/**
 * Records an event inside the caller's transaction, so the event exists if and only if the
 * change it records does. It is written unsealed: no forum-wide lock, one insert. The forum's
 * sealer (src/audit/audit-sealer.ts) gives it its seq and hash shortly after the commit.
 */
export async function appendAuditEvent(tx: Tx, event: NewAuditEvent): Promise<void> {
  await appendAuditEvents(tx, [event]);
}

/** Several events in one insert (a decision's, a batch of deliveries'). */
export async function appendAuditEvents(tx: DbOrTx, events: NewAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const now = new Date();
  await tx.insert(auditEvents).values(
    events.map((e) => ({
      forumId: e.forumId,
      type: e.type,
      actor: e.actor,
      subjectId: e.subjectId ?? null,
      payload: e.payload,
      createdAt: now,
    })),
  );
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Seals up to `batchSize` of a forum's unsealed events in one transaction, oldest id first:
 * they take the next seqs after the chain's head, each hashed over the one before. Sealers in
 * every process take the forum's advisory lock, so the chain never forks; decisions never
 * take it. Returns the events sealed and the new head.
 */
export async function sealBatch(
  db: DbOrTx,
  forumId: string,
  opts: { key?: AuditKey; batchSize?: number; within?: (tx: Tx, head: ChainHead) => Promise<void> },
): Promise<{ sealed: number; head?: ChainHead }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`audit:${forumId}`}, 0))`);
    const waiting = await tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.forumId, forumId), isNull(auditEvents.seq)))
      .orderBy(asc(auditEvents.id))
      .limit(opts.batchSize ?? 1000);
    if (waiting.length === 0) return { sealed: 0 };
    // A chain once checkpointed is keyed with that key: a process without it (or with another)
    // must not extend it, or the chain would verify as broken from there on.
    const [checkpoint] = await tx
      .select({ keyId: auditCheckpoints.keyId })
      .from(auditCheckpoints)
      .where(eq(auditCheckpoints.forumId, forumId))
      .orderBy(desc(auditCheckpoints.seq))
      .limit(1);
    if (checkpoint && checkpoint.keyId !== opts.key?.id) {
      throw new AuditKeyMismatchError(
        `forum ${forumId}'s audit chain is keyed with key ${checkpoint.keyId}; this process has ${opts.key ? `key ${opts.key.id}` : 'no HEARTH_AUDIT_KEY'}, so it does not seal`,
      );
    }
    const [last] = await tx
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(and(eq(auditEvents.forumId, forumId), isNotNull(auditEvents.seq)))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const links = waiting.map((e) => {
      seq++;
      const hash = hashEvent({ ...e, seq, prevHash }, opts.key);
      const link = sql`(${e.id}::bigint, ${seq}::bigint, ${prevHash}::text, ${hash}::text)`;
      prevHash = hash;
      return link;
    });
    await tx.execute(sql`update ${auditEvents} as a set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
      from (values ${sql.join(links, sql`, `)}) as v(id, seq, prev_hash, hash)
      where a.id = v.id and a.seq is null`);
    const head = { seq, hash: prevHash };
    await opts.within?.(tx, head);
    return { sealed: waiting.length, head };
  });
}

export class AuditKeyMismatchError extends Error {
  override name = 'AuditKeyMismatchError';
}

export interface PendingReport {
  /** Events written but not yet sealed into the chain. */
  count: number;
  /** How long the oldest of them has waited, in seconds (0 when none). */
  oldest_seconds: number;
}

export async function pendingEvents(db: DbOrTx, forumId?: string): Promise<PendingReport> {
  const [row] = await db
    .select({ n: count(), oldest: min(auditEvents.createdAt) })
    .from(auditEvents)
    .where(and(isNull(auditEvents.seq), forumId ? eq(auditEvents.forumId, forumId) : undefined));
  const oldest = row?.oldest ? new Date(row.oldest) : undefined;
  return { count: row?.n ?? 0, oldest_seconds: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0 };
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** Events hashed without a key, before the chain was keyed (only counted when a key is given). */
  unkeyed?: number;
  /** The chain's head as verified: what a checkpoint is compared with. */
  head?: ChainHead;
  firstBroken?: { seq: number; id: number; reason: string };
  pending?: PendingReport;
}

/**
 * Walks a forum's sealed chain in order and reports the first event whose link or hash is
 * wrong. With a key, every event must carry the keyed hash, except a leading run hashed before
 * the key was set (counted in `unkeyed`): once one keyed event is seen, an unkeyed one after
 * it is tampering. `atSeq` collects the hash of given seqs, for checkpoints.
 */
export async function verifyAuditChain(
  db: DbOrTx,
  forumId: string,
  opts: { key?: AuditKey; batchSize?: number; atSeq?: Map<number, string | null> } = {},
): Promise<ChainReport> {
  const batchSize = opts.batchSize ?? 1000;
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  let unkeyed = 0;
  let keyedSeen = false;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.forumId} = ${forumId} and ${auditEvents.seq} >= ${expectedSeq}`)
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    for (const row of rows) {
      const broken = (reason: string): ChainReport => ({
        ok: false,
        checked,
        firstBroken: { seq: row.seq ?? 0, id: row.id, reason },
      });
      if (row.seq !== expectedSeq) return broken(`expected seq ${expectedSeq}`);
      if (row.prevHash !== prevHash || row.hash === null) return broken('prev_hash does not match the previous event');
      const fields = { ...row, seq: row.seq, prevHash };
      if (hashEvent(fields, opts.key) === row.hash) {
        if (opts.key) keyedSeen = true;
      } else if (opts.key && !keyedSeen && hashEvent(fields) === row.hash) {
        unkeyed++;
      } else {
        return broken(
          opts.key && keyedSeen && hashEvent(fields) === row.hash
            ? 'unkeyed hash after keyed events'
            : 'hash does not match the event contents',
        );
      }
      if (opts.atSeq?.has(row.seq)) opts.atSeq.set(row.seq, row.hash);
      prevHash = row.hash;
      expectedSeq++;
      checked++;
    }
    if (rows.length < batchSize) break;
  }
  return {
    ok: true,
    checked,
    ...(opts.key ? { unkeyed } : {}),
    ...(checked > 0 ? { head: { seq: expectedSeq - 1, hash: prevHash } } : {}),
  };
}

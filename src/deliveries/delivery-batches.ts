import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { CompiledStatement, oncePerDb } from '../db/prepared.ts';
import { auditEvents, deliveries, deliveryAttempts, forums } from '../db/schema/index.ts';
import { TurnBatcher } from '../db/turn-batcher.ts';

// Concurrent deliver jobs read their deliveries, and record their attempts, a batch at a time:
// one statement (one socket write, one round trip) for all the jobs that reached that point in
// the same turn of the event loop, instead of one each. Each job still waits for its own rows.

export type DeliveryWithForum = { delivery: typeof deliveries.$inferSelect; forum: typeof forums.$inferSelect };

/** A delivery's row and its forum's, read fresh (callback URL and secret are never cached). */
export function readDelivery(db: Db, deliveryId: string): Promise<DeliveryWithForum | undefined> {
  return batchersOf(db).read.add(deliveryId);
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  startedAt: Date;
  /** The delivery's state after the attempt. */
  status: 'pending' | 'succeeded' | 'failed';
  /** The final attempt's audit event (`delivered` or `delivery_failed`), or null for one to be retried. */
  audit: { forumId: string; type: 'delivered' | 'delivery_failed'; payload: Record<string, unknown> } | null;
}

/**
 * Stores an attempt that did not end in 410 Gone: the attempt, the delivery's new state and,
 * when it is final, its audit event, atomically (with the other attempts of its batch).
 */
export function recordAttempt(db: Db, record: AttemptRecord): Promise<void> {
  return batchersOf(db).record.add(record);
}

const batchersOf = oncePerDb((db: Db) => {
  const readMany = db
    .select({ delivery: deliveries, forum: forums })
    .from(deliveries)
    .innerJoin(forums, eq(forums.id, deliveries.forumId))
    .where(sql`${deliveries.id} in (select jsonb_array_elements_text(${sql.placeholder('ids')}::jsonb)::uuid)`)
    .prepare('deliveries-with-forums');
  return {
    read: new TurnBatcher<string, DeliveryWithForum | undefined>(async (ids) => {
      const rows = await readMany.execute({ ids: JSON.stringify(ids) });
      const byId = new Map(rows.map((row) => [row.delivery.id, row]));
      return ids.map((id) => byId.get(id));
    }),
    record: new TurnBatcher<AttemptRecord, undefined>(async (records) => {
      // Two attempts of one delivery (a stalled job running beside its retry) go in turn: one
      // statement updates each delivery row once.
      for (const round of roundsOfDistinct(records)) await recordAttemptsStatement.run(db, { records: attemptsJson(round) });
      return records.map(() => undefined);
    }),
  };
});

function roundsOfDistinct(records: AttemptRecord[]): AttemptRecord[][] {
  const rounds: AttemptRecord[][] = [];
  for (const record of records) {
    const round = rounds.find((r) => !r.some((other) => other.deliveryId === record.deliveryId));
    if (round) round.push(record);
    else rounds.push([record]);
  }
  return rounds;
}

function attemptsJson(records: AttemptRecord[]): string {
  return JSON.stringify(
    records.map((r, n) => ({
      n,
      delivery_id: r.deliveryId,
      attempt: r.attempt,
      status_code: r.statusCode,
      latency_ms: r.latencyMs,
      error: r.error,
      started_at: r.startedAt.toISOString(),
      status: r.status,
      finished: r.status !== 'pending',
      forum_id: r.audit?.forumId ?? null,
      audit_type: r.audit?.type ?? null,
      audit_payload: r.audit?.payload ?? null,
    })),
  );
}

const recordAttemptsStatement = new CompiledStatement(
  'record-attempts',
  sql`with input as (
      select * from jsonb_to_recordset(${sql.placeholder('records')}::jsonb) as input(n int, delivery_id uuid, attempt int,
        status_code int, latency_ms int, error text, started_at timestamptz, status text, finished boolean, forum_id text,
        audit_type text, audit_payload jsonb)
    ), attempt as (
      insert into ${deliveryAttempts} (delivery_id, attempt, status_code, latency_ms, error, started_at)
      select delivery_id, attempt, status_code, latency_ms, error, started_at from input order by n
    ), updated as (
      update ${deliveries} as d set attempts = d.attempts + 1, last_status_code = input.status_code, last_error = input.error,
        last_attempt_at = input.started_at, status = input.status, completed_at = case when input.finished then now() end
      from input
      where d.id = input.delivery_id and d.status = 'pending'
    )
    insert into ${auditEvents} (forum_id, type, actor, subject_id, payload, created_at)
    select forum_id, audit_type, 'system', delivery_id::text, audit_payload, now() from input where audit_type is not null order by n`,
);

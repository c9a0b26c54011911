import { and, gte, lt, sql } from 'drizzle-orm';
import type { ForumScope } from '../auth/api-keys.ts';
import type { DbOrTx } from '../db/client.ts';
import { decisions } from '../db/schema/index.ts';
import { forumCondition } from '../decisions/list-decisions.ts';

export interface DayVolume {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  decisions: number;
  /** Decisions whose action was anything but allow. */
  actioned: number;
}

/**
 * Decisions per UTC day over [from, to), every day present (a quiet day is a zero, not a gap),
 * for the dashboard's volume chart.
 */
export async function dailyVolume(db: DbOrTx, scope: ForumScope, q: { forumId?: string; from: Date; to: Date }): Promise<DayVolume[]> {
  const day = sql<string>`to_char(${decisions.decidedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      day,
      decisions: sql<number>`count(*)::int`,
      actioned: sql<number>`count(*) filter (where ${decisions.action} <> 'allow')::int`,
    })
    .from(decisions)
    .where(and(forumCondition(scope, q.forumId), gte(decisions.decidedAt, q.from), lt(decisions.decidedAt, q.to)))
    .groupBy(day);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: DayVolume[] = [];
  const first = Date.UTC(q.from.getUTCFullYear(), q.from.getUTCMonth(), q.from.getUTCDate());
  for (let t = first; t < q.to.getTime(); t += 86_400_000) {
    const key = new Date(t).toISOString().slice(0, 10);
    const row = byDay.get(key);
    out.push({ day: key, decisions: row?.decisions ?? 0, actioned: row?.actioned ?? 0 });
  }
  return out;
}

import { and, count, eq, gte, lt, min, type SQL, sql } from 'drizzle-orm';
import type { ForumScope } from '../auth/api-keys.ts';
import type { DbOrTx } from '../db/client.ts';
import { actions, decisions } from '../db/schema/index.ts';
import { forumCondition } from '../decisions/list-decisions.ts';
import { type PolicyId, policyIds } from '../moderation/types.ts';
import { awaitingReview } from '../reviews/review-queue.ts';

export interface Percentiles {
  median: number | null;
  p95: number | null;
}

export interface ForumStats {
  forum_id: string | null;
  from: string;
  to: string;
  volume: { decisions: number; posts: number; urgent: number };
  actions: Record<(typeof actions)[number], number>;
  /** Decisions that flagged each policy. */
  flags: Record<PolicyId, number>;
  /** Decisions waiting for a moderator now (whatever the range), and how long the oldest has waited. */
  review_backlog: { count: number; oldest_age_seconds: number | null };
  /** Reviews in the range of decisions that flagged each policy: confirmed or overridden. */
  agreement: Record<PolicyId, { reviewed: number; confirmed: number; overridden: number; rate: number | null }>;
  latency_ms: { post_to_verdict: Percentiles; verdict_to_review: Percentiles };
  /**
   * Posts the crisis check sent to their own lane, decided in the range: how many, how many the
   * full scorer found urgent, and milliseconds from acceptance to the verdict, to the verdict's
   * callback the forum answered with 2xx, and to the `alert.urgent` it answered with 2xx.
   */
  crisis_lane: {
    posts: number;
    urgent: number;
    accepted_to_verdict_ms: LanePercentiles;
    accepted_to_callback_ms: LanePercentiles;
    accepted_to_alert_ms: LanePercentiles;
  };
  /**
   * Urgent decisions in the range: how many, how many a moderator has acted on (reviewed), and
   * milliseconds from the post's acceptance to that first action.
   */
  urgent_response: { urgent: number; acted: number; first_action_ms: { p50: number | null; p95: number | null } };
}

export interface LanePercentiles {
  p50: number | null;
  p99: number | null;
}

/**
 * Figures for a forum (or every forum the key sees) over [from, to): what came in, what was
 * decided, what waits, how often moderators agree, and how fast each step is.
 */
export async function forumStats(db: DbOrTx, scope: ForumScope, q: { forumId?: string; from: Date; to: Date }): Promise<ForumStats> {
  const forum = forumCondition(scope, q.forumId);
  const inRange = and(forum, gte(decisions.decidedAt, q.from), lt(decisions.decidedAt, q.to));

  const [volumeRows, flagRows, backlogRows, agreementRows, latencyRows, laneRows, urgentRows] = await Promise.all([
    db
      .select({
        decisions: count(),
        posts: sql<number>`count(distinct (${decisions.forumId}, ${decisions.postId}))::int`,
        urgent: sql<number>`count(*) filter (where ${decisions.urgent})::int`,
        ...Object.fromEntries(actions.map((a) => [a, sql<number>`count(*) filter (where ${decisions.action} = ${a})::int`])),
      })
      .from(decisions)
      .where(inRange),
    db
      .select({ policy: sql<PolicyId>`p->>'policy'`, n: sql<number>`count(*)::int` })
      .from(decisions)
      .innerJoin(sql`jsonb_array_elements(${decisions.policies}) p`, sql`(p->>'flagged')::boolean`)
      .where(inRange)
      .groupBy(sql`1`),
    db
      .select({ n: count(), oldest: min(decisions.decidedAt) })
      .from(decisions)
      .where(and(forum, awaitingReview())),
    db
      .select({
        policy: sql<PolicyId>`p->>'policy'`,
        confirmed: sql<number>`count(*) filter (where r.outcome = 'confirm')::int`,
        overridden: sql<number>`count(*) filter (where r.outcome = 'override')::int`,
      })
      .from(decisions)
      .innerJoin(sql`reviews r`, sql`r.decision_id = ${decisions.id}`)
      .innerJoin(sql`jsonb_array_elements(${decisions.policies}) p`, sql`(p->>'flagged')::boolean`)
      .where(and(forum, sql`r.created_at >= ${q.from.toISOString()}::timestamptz and r.created_at < ${q.to.toISOString()}::timestamptz`))
      .groupBy(sql`1`),
    db
      .select({
        verdictMedian: percentile(
          0.5,
          sql`(select v.received_at from revisions v where v.id = ${decisions.revisionId})`,
          decisions.decidedAt,
        ),
        verdictP95: percentile(
          0.95,
          sql`(select v.received_at from revisions v where v.id = ${decisions.revisionId})`,
          decisions.decidedAt,
        ),
        reviewMedian: percentile(0.5, decisions.decidedAt, firstReview()),
        reviewP95: percentile(0.95, decisions.decidedAt, firstReview()),
      })
      .from(decisions)
      .where(inRange),
    db
      .select({
        posts: count(),
        urgent: sql<number>`count(*) filter (where ${decisions.urgent})::int`,
        verdictP50: percentile(0.5, receivedAt(), decisions.decidedAt),
        verdictP99: percentile(0.99, receivedAt(), decisions.decidedAt),
        callbackP50: percentile(0.5, receivedAt(), firstCallback('verdict.created')),
        callbackP99: percentile(0.99, receivedAt(), firstCallback('verdict.created')),
        alertP50: percentile(0.5, receivedAt(), firstCallback('alert.urgent')),
        alertP99: percentile(0.99, receivedAt(), firstCallback('alert.urgent')),
      })
      .from(decisions)
      .where(and(inRange, eq(decisions.lane, 'urgent'))),
    db
      .select({
        urgent: count(),
        acted: sql<number>`count(${firstReview()})::int`,
        p50: percentile(0.5, receivedAt(), firstReview()),
        p95: percentile(0.95, receivedAt(), firstReview()),
      })
      .from(decisions)
      .where(and(inRange, eq(decisions.urgent, true))),
  ]);

  const volume = volumeRows[0] as Record<string, number> | undefined;
  const flags = Object.fromEntries(policyIds.map((p) => [p, flagRows.find((r) => r.policy === p)?.n ?? 0])) as ForumStats['flags'];
  const agreement = Object.fromEntries(
    policyIds.map((p) => {
      const row = agreementRows.find((r) => r.policy === p);
      const confirmed = row?.confirmed ?? 0;
      const overridden = row?.overridden ?? 0;
      const reviewed = confirmed + overridden;
      return [p, { reviewed, confirmed, overridden, rate: reviewed === 0 ? null : confirmed / reviewed }];
    }),
  ) as ForumStats['agreement'];
  const backlog = backlogRows[0];
  const latency = latencyRows[0];
  const lane = laneRows[0];
  const urgent = urgentRows[0];
  return {
    forum_id: q.forumId ?? null,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    volume: { decisions: volume?.decisions ?? 0, posts: volume?.posts ?? 0, urgent: volume?.urgent ?? 0 },
    actions: Object.fromEntries(actions.map((a) => [a, volume?.[a] ?? 0])) as ForumStats['actions'],
    flags,
    review_backlog: {
      count: backlog?.n ?? 0,
      oldest_age_seconds: backlog?.oldest ? Math.max(0, Math.round((Date.now() - new Date(backlog.oldest).getTime()) / 1000)) : null,
    },
    agreement,
    latency_ms: {
      post_to_verdict: { median: latency?.verdictMedian ?? null, p95: latency?.verdictP95 ?? null },
      verdict_to_review: { median: latency?.reviewMedian ?? null, p95: latency?.reviewP95 ?? null },
    },
    crisis_lane: {
      posts: lane?.posts ?? 0,
      urgent: lane?.urgent ?? 0,
      accepted_to_verdict_ms: { p50: lane?.verdictP50 ?? null, p99: lane?.verdictP99 ?? null },
      accepted_to_callback_ms: { p50: lane?.callbackP50 ?? null, p99: lane?.callbackP99 ?? null },
      accepted_to_alert_ms: { p50: lane?.alertP50 ?? null, p99: lane?.alertP99 ?? null },
    },
    urgent_response: {
      urgent: urgent?.urgent ?? 0,
      acted: urgent?.acted ?? 0,
      first_action_ms: { p50: urgent?.p50 ?? null, p95: urgent?.p95 ?? null },
    },
  };
}

/** When the decision's revision was accepted at ingest. */
function receivedAt(): SQL {
  return sql`(select v.received_at from revisions v where v.id = ${decisions.revisionId})`;
}

/** When the forum first answered a verdict callback of the decision with 2xx (null if not yet). */
function firstCallback(eventType: 'verdict.created' | 'alert.urgent'): SQL {
  return sql`(select min(d.completed_at) from deliveries d where d.decision_id = ${decisions.id} and d.event_type = ${eventType} and d.status = 'succeeded')`;
}

/** When a decision was first reviewed (null if never). */
function firstReview(): SQL {
  return sql`(select min(r.created_at) from reviews r where r.decision_id = ${decisions.id})`;
}

/** Continuous percentile of the milliseconds from `start` to `end`, rounded; null when no rows. */
function percentile(p: number, start: SQL | typeof decisions.decidedAt, end: SQL | typeof decisions.decidedAt) {
  return sql<number | null>`round(percentile_cont(${p}) within group (order by extract(epoch from (${end} - ${start})) * 1000))::float8`;
}

import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { ForumScope } from '../auth/api-keys.ts';
import { scopedForumCondition } from '../auth/forum-scope.ts';
import type { DbOrTx } from '../db/client.ts';
import { type Action, type Decision, decisions } from '../db/schema/index.ts';
import type { PolicyId } from '../moderation/types.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export interface DecisionFilters {
  forumId?: string;
  action?: Action;
  /** Only decisions that flagged this policy. */
  policy?: PolicyId;
  urgent?: boolean;
  reviewed?: boolean;
  from?: Date;
  to?: Date;
  /** Some policy (or `policy`, when given) scored at least this. */
  minScore?: number;
}

export interface LatestReview {
  outcome: 'confirm' | 'override';
  action: Action;
  /** The action in force before this review: the review before it, else the decision's. */
  previous_action: Action;
  labels: PolicyId[];
  reviewer: string;
  created_at: string;
}

/** A decision as lists show it: enough to triage, without the post text. */
export interface DecisionSummary {
  id: string;
  forum_id: string;
  post_id: string;
  revision: number;
  action: Action;
  urgent: boolean;
  flagged: Array<{ policy: PolicyId; score: number }>;
  policy_set_version: string;
  language: string | null;
  decided_at: string;
  review: LatestReview | null;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

/**
 * The newest review of a decision, as JSON, for list rows and the verdict route. The outer
 * decision is named `decisions.…` in full: in the select list of a query on that table alone,
 * drizzle renders `${decisions.id}` as a bare "id", which here would mean the review's own id.
 */
export const latestReviewSql = sql<LatestReview | null>`(
  select json_build_object('outcome', r.outcome, 'action', r.action,
    'previous_action', coalesce((select p.action from reviews p where p.decision_id = r.decision_id and p.created_at < r.created_at
      order by p.created_at desc limit 1), decisions.action),
    'labels', r.labels, 'reviewer', r.reviewer,
    'created_at', to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  from reviews r where r.decision_id = decisions.id order by r.created_at desc limit 1)`;

/** Restricts a query to the forums a key may see; a named forum outside them is a 404. */
export function forumCondition(scope: ForumScope, forumId: string | undefined): SQL | undefined {
  return scopedForumCondition(decisions.forumId, scope, forumId);
}

/**
 * Decisions newest first, filtered, in pages. The cursor is the last row's position
 * (decided_at, id), compared in the database at full precision, so decisions that arrive
 * while someone pages never shift or repeat the rows after it.
 */
export async function listDecisions(
  db: DbOrTx,
  scope: ForumScope,
  filters: DecisionFilters,
  page: { limit: number; cursor?: string },
): Promise<Page<DecisionSummary>> {
  const conditions = [forumCondition(scope, filters.forumId), ...filterConditions(filters)];
  if (page.cursor) {
    const after = decodeCursor(page.cursor);
    conditions.push(sql`(${decisions.decidedAt}, ${decisions.id}) < (select d.decided_at, d.id from decisions d where d.id = ${after})`);
  }
  const rows = await db
    .select({ decision: decisions, review: latestReviewSql })
    .from(decisions)
    .where(and(...conditions))
    .orderBy(desc(decisions.decidedAt), desc(decisions.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map((r) => summarise(r.decision, r.review));
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > page.limit && last ? encodeCursor(last.id) : null };
}

export function filterConditions(filters: DecisionFilters): SQL[] {
  const out: SQL[] = [];
  if (filters.action) out.push(eq(decisions.action, filters.action));
  if (filters.urgent !== undefined) out.push(eq(decisions.urgent, filters.urgent));
  if (filters.from) out.push(gte(decisions.decidedAt, filters.from));
  if (filters.to) out.push(lt(decisions.decidedAt, filters.to));
  if (filters.policy) out.push(sql`${decisions.policies} @> ${JSON.stringify([{ policy: filters.policy, flagged: true }])}::jsonb`);
  if (filters.minScore !== undefined) {
    const policy = filters.policy ?? null;
    out.push(
      sql`exists (select 1 from jsonb_array_elements(${decisions.policies}) p
        where (p->>'score')::float8 >= ${filters.minScore} and (${policy}::text is null or p->>'policy' = ${policy}))`,
    );
  }
  if (filters.reviewed !== undefined) {
    const reviewed = sql`exists (select 1 from reviews r where r.decision_id = ${decisions.id})`;
    out.push(filters.reviewed ? reviewed : sql`not ${reviewed}`);
  }
  return out;
}

export function summarise(d: Decision, review: LatestReview | null): DecisionSummary {
  return {
    id: d.id,
    forum_id: d.forumId,
    post_id: d.postId,
    revision: d.revision,
    action: d.action,
    urgent: d.urgent,
    flagged: d.policies.filter((p) => p.flagged).map((p) => ({ policy: p.policy, score: p.score })),
    policy_set_version: d.policySetVersion,
    language: d.language,
    decided_at: d.decidedAt.toISOString(),
    review,
  };
}

import { and, desc, eq, inArray } from 'drizzle-orm';
import type { ForumScope } from '../auth/forum-scope.ts';
import { assertInScope } from '../auth/forum-scope.ts';
import type { DbOrTx } from '../db/client.ts';
import { decisions, forums, reviews } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { actionOrder, type ModerationAction, type PolicyId } from '../moderation/types.ts';
import { authorFlags } from './author-flags.ts';
import { activeEscalations } from './escalation.ts';
import { remediesOf } from './forum-remedies.ts';

/** Decisions and reviews shown; the flags and standing are computed over the whole year. */
const LIST_LIMIT = 100;
const YEAR_MS = 365 * 86_400_000;

/**
 * A member's history in one forum for its moderators: decisions (newest first), flags per
 * policy per week (overridden ones apart, since they never count), reviews, and the standing
 * the forum's escalation rules give the member now. 404 for an author with no decisions, as
 * for one outside the key's forums, and for one whose data was erased.
 */
export async function authorHistory(db: DbOrTx, scope: ForumScope, forumId: string, authorId: string, now = new Date()) {
  assertInScope(scope, forumId, `author ${authorId} in forum ${forumId}`);
  const rows = await db
    .select()
    .from(decisions)
    .where(and(eq(decisions.forumId, forumId), eq(decisions.authorId, authorId)))
    .orderBy(desc(decisions.decidedAt))
    .limit(LIST_LIMIT);
  if (rows.length === 0) throw new AppError('not_found', `no author ${authorId} in forum ${forumId}`);
  const [forum] = await db.select({ remedies: forums.remedies }).from(forums).where(eq(forums.id, forumId));
  const rules = remediesOf(forum?.remedies).escalation_rules ?? [];
  const flags = await authorFlags(db, forumId, authorId, new Date(now.getTime() - YEAR_MS));
  const active = activeEscalations(rules, flags, now);
  const reviewRows = await db
    .select()
    .from(reviews)
    .where(
      inArray(
        reviews.decisionId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(desc(reviews.createdAt));

  const weeks = new Map<string, { week: string; policy: PolicyId; flags: number; overridden: number }>();
  for (const f of flags) {
    const week = weekStart(f.at);
    const key = `${week} ${f.policy}`;
    const bucket = weeks.get(key) ?? { week, policy: f.policy, flags: 0, overridden: 0 };
    if (f.review === 'overridden') bucket.overridden++;
    else bucket.flags++;
    weeks.set(key, bucket);
  }
  const least = active.reduce<ModerationAction>(
    (a, e) => (actionOrder.indexOf(e.raise_to) > actionOrder.indexOf(a) ? e.raise_to : a),
    'allow',
  );
  return {
    forum_id: forumId,
    author_id: authorId,
    standing: {
      escalated: active.length > 0,
      least_action: least,
      rules_in_force: active,
    },
    escalation_rules: rules,
    flags_by_week: [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week) || a.policy.localeCompare(b.policy)),
    decisions: rows.map((d) => ({
      decision_id: d.id,
      post_id: d.postId,
      revision: d.revision,
      action: d.action,
      urgent: d.urgent,
      flagged: d.policies.filter((p) => p.flagged).map((p) => ({ policy: p.policy, score: p.score })),
      escalation: d.escalation ? { rule_id: d.escalation.rule_id, raise_to: d.escalation.raise_to, applied: d.escalation.applied } : null,
      decided_at: d.decidedAt.toISOString(),
    })),
    reviews: reviewRows.map((r) => ({
      decision_id: r.decisionId,
      post_id: r.postId,
      outcome: r.outcome,
      action: r.action,
      labels: r.labels,
      note: r.note,
      reviewer: r.reviewer,
      reviewed_at: r.createdAt.toISOString(),
    })),
  };
}

export type AuthorHistory = Awaited<ReturnType<typeof authorHistory>>;

/** The Monday (UTC) of the week a time falls in, as a date. */
function weekStart(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import type { PolicyId, PolicyResult } from '../moderation/types.ts';
import type { AuthorFlag, EscalationRule } from './escalation.ts';

const DAY_MS = 86_400_000;

interface Row extends Record<string, unknown> {
  id: string;
  post_id: string;
  decided_at: Date | string;
  policies: PolicyResult[];
  review_labels: string[] | null;
}

/**
 * An author's flags in a forum since `since`, one per post and policy: a policy Hearth flagged
 * on the post, or one a moderator's newest review named. The post's newest decision says
 * whether the flag was upheld or overridden; the first flagged decision says when it happened.
 */
export async function authorFlags(
  db: DbOrTx,
  forumId: string,
  authorId: string,
  since: Date,
  opts: { excludePostId?: string } = {},
): Promise<AuthorFlag[]> {
  const rows = (await db.execute(sql`
    select d.id, d.post_id, d.decided_at, d.policies, r.labels as review_labels
    from decisions d
    left join lateral (
      select labels from reviews where reviews.decision_id = d.id order by reviews.created_at desc limit 1
    ) r on true
    where d.forum_id = ${forumId} and d.author_id = ${authorId} and d.decided_at >= ${since.toISOString()}
    order by d.decided_at asc
  `)) as unknown as Row[];
  const byKey = new Map<string, AuthorFlag>();
  for (const row of rows) {
    if (row.post_id === opts.excludePostId) continue;
    const at = new Date(row.decided_at);
    const flagged = new Set(row.policies.filter((p) => p.flagged).map((p) => p.policy));
    const labels = row.review_labels ? new Set(row.review_labels) : null;
    for (const policy of new Set<string>([...flagged, ...(labels ?? [])])) {
      const review = labels === null ? 'none' : labels.has(policy) ? 'confirmed' : 'overridden';
      const key = `${row.post_id}\u0000${policy}`;
      const earlier = byKey.get(key);
      // Rows come oldest first: the newest decision's review state wins, the first flag's time stays.
      byKey.set(key, { postId: row.post_id, decisionId: row.id, policy: policy as PolicyId, at: earlier?.at ?? at, review });
    }
  }
  return [...byKey.values()];
}

/** How far back an author's flags can matter to these rules at `now`. */
export function lookbackFor(rules: readonly EscalationRule[], now: Date): Date {
  const days = Math.max(0, ...rules.map((r) => r.within_days + r.for_days));
  return new Date(now.getTime() - days * DAY_MS);
}

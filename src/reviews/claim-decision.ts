import { and, eq, sql } from 'drizzle-orm';
import type { ForumScope } from '../auth/api-keys.ts';
import { assertInScope } from '../auth/forum-scope.ts';
import type { Db } from '../db/client.ts';
import { decisions, reviewClaims } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';

export interface Reviewer {
  keyId: string;
  /** How the reviewer is shown to others: the key's name, or its prefix. */
  label: string;
}

export interface Claim {
  decision_id: string;
  claimed_by: string;
  expires_at: string;
}

/** Throws not_found unless the decision exists within the key's forums; returns its forum. */
export async function decisionInScope(db: Db, scope: ForumScope, decisionId: string): Promise<{ forumId: string }> {
  const [row] = await db.select({ forumId: decisions.forumId }).from(decisions).where(eq(decisions.id, decisionId));
  if (!row) throw new AppError('not_found', `no decision ${decisionId}`);
  assertInScope(scope, row.forumId, `decision ${decisionId}`);
  return row;
}

/**
 * Claims a decision for `claimMs`, so two moderators do not work the same post. Claiming
 * again extends one's own claim; someone else's live claim is a conflict naming its holder.
 */
export async function claimDecision(db: Db, scope: ForumScope, decisionId: string, reviewer: Reviewer, claimMs: number): Promise<Claim> {
  await decisionInScope(db, scope, decisionId);
  const expiresAt = sql`now() + make_interval(secs => ${claimMs / 1000})`;
  const [claimed] = await db
    .insert(reviewClaims)
    .values({ decisionId, keyId: reviewer.keyId, claimedBy: reviewer.label, expiresAt })
    .onConflictDoUpdate({
      target: reviewClaims.decisionId,
      set: { keyId: reviewer.keyId, claimedBy: reviewer.label, expiresAt },
      setWhere: sql`${reviewClaims.expiresAt} <= now() or ${reviewClaims.keyId} = ${reviewer.keyId}`,
    })
    .returning();
  if (claimed) return { decision_id: decisionId, claimed_by: claimed.claimedBy, expires_at: claimed.expiresAt.toISOString() };
  const holder = await activeClaim(db, decisionId);
  throw new AppError(
    'conflict',
    `claimed by ${holder?.claimedBy ?? 'another moderator'} until ${holder?.expiresAt.toISOString() ?? 'soon'}`,
    {
      details: holder ? { claimed_by: holder.claimedBy, expires_at: holder.expiresAt.toISOString() } : undefined,
    },
  );
}

/** Gives up one's own claim; releasing a claim one does not hold changes nothing. */
export async function releaseClaim(db: Db, scope: ForumScope, decisionId: string, reviewer: Reviewer): Promise<void> {
  await decisionInScope(db, scope, decisionId);
  await db.delete(reviewClaims).where(and(eq(reviewClaims.decisionId, decisionId), eq(reviewClaims.keyId, reviewer.keyId)));
}

export async function activeClaim(db: Pick<Db, 'select'>, decisionId: string) {
  const [claim] = await db
    .select()
    .from(reviewClaims)
    .where(and(eq(reviewClaims.decisionId, decisionId), sql`${reviewClaims.expiresAt} > now()`));
  return claim;
}

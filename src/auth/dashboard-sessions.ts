import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type ApiKey, apiKeys, type DashboardSession, dashboardSessions } from '../db/schema/index.ts';
import { findActiveKey } from './api-keys.ts';

/** A session lasts a working day at most, and ends after an hour without a request. */
export const SESSION_LIFETIME_MS = 12 * 3_600_000;
export const SESSION_IDLE_MS = 3_600_000;

export interface SignedIn {
  session: DashboardSession;
  key: ApiKey;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Exchanges an API key for a session token (to go in a cookie). The key is only hashed and
 * looked up, never stored with the session; unknown, revoked or expired keys get undefined.
 */
export async function startSession(db: Db, apiKey: string): Promise<{ token: string; signedIn: SignedIn } | undefined> {
  const key = await findActiveKey(db, apiKey);
  if (!key) return undefined;
  const token = randomBytes(32).toString('base64url');
  const end = Date.now() + SESSION_LIFETIME_MS;
  const expiresAt = new Date(key.expiresAt ? Math.min(end, key.expiresAt.getTime()) : end);
  // Sessions that ended are of no use to anyone; sweeping them here keeps the table small
  // without a job of its own.
  await db.delete(dashboardSessions).where(lt(dashboardSessions.expiresAt, sql`now()`));
  const [session] = await db
    .insert(dashboardSessions)
    .values({ tokenHash: hashToken(token), keyId: key.id, csrfToken: randomBytes(24).toString('base64url'), expiresAt })
    .returning();
  if (!session) throw new Error('session insert returned nothing');
  return { token, signedIn: { session, key } };
}

/**
 * The live session for a cookie's token with its key, or undefined when the session expired,
 * sat idle too long or was ended, or its key was revoked or expired since: the key is checked
 * on every request, so revoking it signs out every browser that used it.
 */
export async function findSession(db: Db, token: string): Promise<SignedIn | undefined> {
  if (token.length < 20 || token.length > 100) return undefined;
  const idleSince = new Date(Date.now() - SESSION_IDLE_MS);
  const [row] = await db
    .select({ session: dashboardSessions, key: apiKeys })
    .from(dashboardSessions)
    .innerJoin(apiKeys, eq(apiKeys.id, dashboardSessions.keyId))
    .where(
      and(
        eq(dashboardSessions.tokenHash, hashToken(token)),
        gt(dashboardSessions.expiresAt, sql`now()`),
        gt(dashboardSessions.lastSeenAt, idleSince),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
      ),
    )
    .limit(1);
  if (!row) return undefined;
  // At most one write a minute per session, so reading pages stays reading.
  if (Date.now() - row.session.lastSeenAt.getTime() > 60_000) {
    await db.update(dashboardSessions).set({ lastSeenAt: sql`now()` }).where(eq(dashboardSessions.id, row.session.id));
  }
  return row;
}

/** Signs a browser out; ending a session that is gone already changes nothing. */
export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(dashboardSessions).where(eq(dashboardSessions.tokenHash, hashToken(token)));
}

/** Constant-time comparison of a form's CSRF token with the expected one. */
export function tokensMatch(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A fresh random token, for the sign-in form's double-submit cookie. */
export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}

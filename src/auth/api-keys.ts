import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type ApiKey, type ApiKeyRole, apiKeys } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { type ForumScope, inScope } from './forum-scope.ts';

const KEY_PREFIX = 'hk_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface CreateApiKeyInput {
  role: ApiKeyRole;
  name?: string;
  forumIds?: string[];
  expiresAt?: Date;
}

/** Creates a key and returns its plaintext once; only the SHA-256 hash is stored. */
export async function createApiKey(db: Db, input: CreateApiKeyInput): Promise<{ key: string; record: ApiKey }> {
  const forumIds = [...new Set(input.forumIds ?? [])];
  // Moderators and auditors work within named forums; a key that silently saw every forum
  // because someone forgot --forum would be a leak waiting to happen.
  if (input.role !== 'admin' && forumIds.length === 0) {
    throw new AppError('validation_failed', `a ${input.role} key needs at least one forum (--forum ID)`);
  }
  if (input.role === 'admin' && forumIds.length > 0) {
    throw new AppError('validation_failed', 'admin keys see every forum; leave out the forums or use role moderator or auditor');
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new AppError('validation_failed', 'expiry must be in the future');
  // 32 random bytes: a hash without a salt is safe because the key itself is not guessable.
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const [record] = await db
    .insert(apiKeys)
    .values({
      keyHash: hashKey(key),
      keyPrefix: key.slice(0, 10),
      name: input.name ?? null,
      role: input.role,
      forumIds: forumIds.length > 0 ? forumIds : null,
      expiresAt: input.expiresAt ?? null,
    })
    .returning();
  if (!record) throw new Error('api key insert returned nothing');
  return { key, record };
}

/** The active key for a plaintext, or undefined when unknown, revoked or expired. */
export async function findActiveKey(db: Db, key: string): Promise<ApiKey | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(
      and(eq(apiKeys.keyHash, hashKey(key)), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`))),
    )
    .limit(1);
  return row;
}

export type { ForumScope } from './forum-scope.ts';

export function scopeOf(key: Pick<ApiKey, 'role' | 'forumIds'>): ForumScope {
  return key.role === 'admin' ? 'all' : (key.forumIds ?? []);
}

export function keyCanSeeForum(key: Pick<ApiKey, 'role' | 'forumIds'>, forumId: string): boolean {
  return inScope(scopeOf(key), forumId);
}

export type KeyStatus = 'active' | 'expired' | 'revoked';

export function keyStatus(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now = new Date()): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt <= now) return 'expired';
  return 'active';
}

/** Every key, newest first, revoked and expired ones included (they say so). */
export function listApiKeys(db: Db): Promise<ApiKey[]> {
  return db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
}

/**
 * Revokes a key by id or by its printed prefix. Revoking twice is harmless and returns the
 * key as it is; an unknown key is undefined.
 */
export async function revokeApiKey(db: Db, idOrPrefix: string): Promise<ApiKey | undefined> {
  const match = /^[0-9a-f-]{36}$/i.test(idOrPrefix) ? eq(apiKeys.id, idOrPrefix) : eq(apiKeys.keyPrefix, idOrPrefix);
  const candidates = await db.select().from(apiKeys).where(match).limit(2);
  if (candidates.length > 1) throw new AppError('conflict', `more than one key starts with ${idOrPrefix}; use the key id`);
  const [key] = candidates;
  if (!key || key.revokedAt) return key;
  const [revoked] = await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id)).returning();
  return revoked;
}

/** Records use at most once a minute per key, so reads stay reads. */
export async function touchApiKey(db: Db, key: ApiKey): Promise<void> {
  if (key.lastUsedAt && Date.now() - key.lastUsedAt.getTime() < 60_000) return;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
}

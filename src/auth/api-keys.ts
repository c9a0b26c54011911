import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type ApiKey, type ApiKeyRole, apiKeys } from '../db/schema/index.ts';

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
  // 32 random bytes: a hash without a salt is safe because the key itself is not guessable.
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const [record] = await db
    .insert(apiKeys)
    .values({
      keyHash: hashKey(key),
      keyPrefix: key.slice(0, 10),
      name: input.name ?? null,
      role: input.role,
      forumIds: input.forumIds && input.forumIds.length > 0 ? input.forumIds : null,
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

export function keyCanSeeForum(key: ApiKey, forumId: string): boolean {
  return key.role === 'admin' || key.forumIds === null || key.forumIds.includes(forumId);
}

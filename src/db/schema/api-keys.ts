import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const apiKeyRoles = ['admin', 'moderator', 'auditor'] as const;
export type ApiKeyRole = (typeof apiKeyRoles)[number];

/** Keys are stored as a SHA-256 hash; the plaintext is shown once, at creation. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    keyHash: text('key_hash').notNull().unique(),
    /** The first characters of the key, so an operator can tell keys apart in listings. */
    keyPrefix: text('key_prefix').notNull(),
    name: text('name'),
    role: text('role', { enum: apiKeyRoles }).notNull(),
    /** Forums this key may see; null means every forum (admins). */
    forumIds: text('forum_ids').array(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('api_keys_role_idx').on(t.role)],
);

export type ApiKey = typeof apiKeys.$inferSelect;

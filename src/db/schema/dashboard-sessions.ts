import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from './api-keys.ts';

/**
 * A signed-in browser of the web dashboard. The cookie carries a random token whose SHA-256 is
 * stored here, never the API key: the session only points at the key, so revoking or expiring
 * the key ends every session made with it (each request checks the key too).
 */
export const dashboardSessions = pgTable(
  'dashboard_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    keyId: uuid('key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    /** The synchroniser token every form of this session must send back. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** Absolute end; an idle session also ends earlier (see src/auth/dashboard-sessions.ts). */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('dashboard_sessions_key_idx').on(t.keyId)],
);

export type DashboardSession = typeof dashboardSessions.$inferSelect;

import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** A tenant: one community that sends posts. Secrets are `whsec_<base64>` (Standard Webhooks). */
export const forums = pgTable('forums', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  ingestSecret: text('ingest_secret').notNull(),
  callbackUrl: text('callback_url'),
  callbackSecret: text('callback_secret').notNull(),
  /** Set when the forum's endpoint answered 410 Gone; deliveries stop until an admin re-enables. */
  callbackDisabledAt: timestamp('callback_disabled_at', { withTimezone: true }),
  callbackDisabledReason: text('callback_disabled_reason'),
  policyOverrides: jsonb('policy_overrides').$type<Record<string, unknown>>().notNull().default({}),
  /**
   * Forum engines that send their own webhooks: `{"discourse": {"secret", "private_messages"?,
   * "base_url"?, "api_key"?, "api_username"?}, "mastodon": {"secret"}}`. Secrets, like the ingest secret.
   */
  integrations: jsonb('integrations').$type<Record<string, unknown>>().notNull().default({}),
  /** `{"enabled"?: boolean, "daily_calls"?: n, "daily_tokens"?: n}`: this forum's use of the LLM scorer. */
  llmSettings: jsonb('llm_settings').$type<Record<string, unknown>>().notNull().default({}),
  /** Post text older than this many days is purged (decisions, scores and hashes stay); null keeps it. */
  retentionDays: integer('retention_days'),
  /**
   * The forum's member remedies (see src/members/forum-remedies.ts): escalation rules for
   * disruptive members, tense-thread thresholds, redaction, crisis resources.
   */
  remedies: jsonb('remedies').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Forum = typeof forums.$inferSelect;

import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { actions, decisions } from './decisions.ts';

export const reviewOutcomes = ['confirm', 'override'] as const;
export type ReviewOutcome = (typeof reviewOutcomes)[number];

/**
 * A moderator's judgement of a decision: the labels that truly apply are what the tuning CLI
 * learns from. Never updated; a second review of the same decision is a new row.
 */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    decisionId: uuid('decision_id')
      .notNull()
      .references(() => decisions.id),
    forumId: text('forum_id').notNull(),
    postId: text('post_id').notNull(),
    outcome: text('outcome', { enum: reviewOutcomes }).notNull(),
    /** The action the moderator settled on (the decision's own on a confirm). */
    action: text('action', { enum: actions }).notNull(),
    /** Policy ids that truly apply to the post; empty when it is clean. */
    labels: text('labels').array().notNull(),
    note: text('note'),
    reviewerKeyId: uuid('reviewer_key_id').notNull(),
    /** The key's name or prefix when the review was made, so the record outlives the key. */
    reviewer: text('reviewer').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('reviews_decision_idx').on(t.decisionId, t.createdAt), index('reviews_forum_idx').on(t.forumId, t.createdAt)],
);

/** Who is working on a decision right now, so two moderators do not review the same post. */
export const reviewClaims = pgTable('review_claims', {
  decisionId: uuid('decision_id')
    .primaryKey()
    .references(() => decisions.id),
  keyId: uuid('key_id').notNull(),
  claimedBy: text('claimed_by').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

export type Review = typeof reviews.$inferSelect;
export type ReviewClaim = typeof reviewClaims.$inferSelect;

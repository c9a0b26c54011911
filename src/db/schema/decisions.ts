import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { EscalationRecord } from '../../members/escalation.ts';
import type { DecisionRemedy } from '../../members/remedy.ts';
import type { PolicyResult } from '../../moderation/types.ts';
import { revisions } from './posts.ts';

export const actions = ['allow', 'review', 'redact', 'hold', 'remove'] as const;
export type Action = (typeof actions)[number];
/** The queue ingest sent the post to: `urgent` is the crisis lane. */
export const decisionLanes = ['ordinary', 'urgent'] as const;

/** The verdict for one revision under one policy set version: exactly one, by the unique key. */
export const decisions = pgTable(
  'decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    forumId: text('forum_id').notNull(),
    postId: text('post_id').notNull(),
    revisionId: uuid('revision_id')
      .notNull()
      .references(() => revisions.id),
    revision: integer('revision').notNull(),
    policySetVersion: text('policy_set_version').notNull(),
    action: text('action', { enum: actions }).notNull(),
    urgent: boolean('urgent').notNull(),
    policies: jsonb('policies').$type<PolicyResult[]>().notNull(),
    scorers: jsonb('scorers').$type<string[]>().notNull(),
    timings: jsonb('timings').$type<Record<string, number>>().notNull(),
    language: text('language'),
    /** The LLM's part, when posts were escalated to it: its judgements, model, prompt version, tokens, or why it failed. */
    llm: jsonb('llm').$type<Record<string, unknown>>(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
    /** Which lane decided it, so the crisis lane's wait can be reported (see src/stats). */
    lane: text('lane', { enum: decisionLanes }).notNull().default('ordinary'),
    /** The forum's id for the post's author, so a member's history is one index scan (see src/members). */
    authorId: text('author_id'),
    /** The author's standing when decided: the escalation rule in force and whether it raised the action. */
    escalation: jsonb('escalation').$type<EscalationRecord>(),
    /**
     * What the forum can show or send the member (see src/members): the post with someone
     * else's personal data masked, the explanation for the author, the reply suggested to a
     * member in crisis. `redacted_body` is post text: retention and erasure remove it.
     */
    remedy: jsonb('remedy').$type<DecisionRemedy>(),
  },
  (t) => [
    unique('decisions_revision_policy_set_uq').on(t.revisionId, t.policySetVersion),
    index('decisions_forum_post_idx').on(t.forumId, t.postId, t.decidedAt),
    index('decisions_forum_time_idx').on(t.forumId, t.decidedAt, t.id),
    index('decisions_forum_author_idx').on(t.forumId, t.authorId, t.decidedAt),
  ],
);

export type Decision = typeof decisions.$inferSelect;

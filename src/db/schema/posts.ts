import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { forums } from './forums.ts';

/** A post as the forum identifies it; its content lives in revisions. */
export const posts = pgTable(
  'posts',
  {
    forumId: text('forum_id')
      .notNull()
      .references(() => forums.id),
    postId: text('post_id').notNull(),
    authorId: text('author_id').notNull(),
    threadId: text('thread_id'),
    latestRevision: integer('latest_revision').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.forumId, t.postId] })],
);

/** One version of a post's content. An edit with new content is a new revision. */
export const revisions = pgTable(
  'revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    forumId: text('forum_id').notNull(),
    postId: text('post_id').notNull(),
    revision: integer('revision').notNull(),
    contentHash: text('content_hash').notNull(),
    submissionId: text('submission_id').notNull().unique(),
    authorId: text('author_id').notNull(),
    authorName: text('author_name'),
    threadId: text('thread_id'),
    replyTo: text('reply_to'),
    title: text('title'),
    /** Null once the forum's retention period purges post text; the hash stays. */
    body: text('body'),
    format: text('format', { enum: ['text', 'markdown', 'html'] }).notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** When the retention period removed the text (body, title, metadata). */
    purgedAt: timestamp('purged_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('revisions_post_content_uq').on(t.forumId, t.postId, t.contentHash),
    unique('revisions_post_number_uq').on(t.forumId, t.postId, t.revision),
    index('revisions_retention_idx').on(t.forumId, t.receivedAt),
    // Tense-thread checks read a thread's recent posts (see src/members/thread-tension.ts).
    index('revisions_thread_idx').on(t.forumId, t.threadId, t.receivedAt),
  ],
);

export type Revision = typeof revisions.$inferSelect;

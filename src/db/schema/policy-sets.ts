import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every published policy set, newest last: the files themselves (YAML, word lists, the model),
 * so any worker can load exactly what was published and any decision's version can be read
 * back. Publishing an older version again appends a new row.
 */
export const policySets = pgTable(
  'policy_sets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    version: text('version').notNull(),
    files: jsonb('files').$type<Record<string, string>>().notNull(),
    author: text('author').notNull(),
    message: text('message'),
    /** How many of the policies' own examples it classified right when published (all of them). */
    examplesPassed: integer('examples_passed').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('policy_sets_version_idx').on(t.version)],
);

export type PublishedPolicySet = typeof policySets.$inferSelect;

import { desc, sql } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log.ts';
import type { Db } from '../db/client.ts';
import { forums, policySets } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { runPolicyExamples } from '../evaluation/policy-examples.ts';
import type { PolicyFiles } from '../policies/loader.ts';
import { validatePolicyFiles } from '../policies/validate-policies.ts';

export interface Publication {
  id: number;
  version: string;
  previous_version: string | null;
  author: string;
  message: string | null;
  published_at: string;
  /** Forums whose audit chain records the publication. */
  forums: number;
}

/**
 * Validates a policy set, runs every policy's own examples, and records the set in the
 * database with its author and message, as a `policy_published` event in every forum's audit
 * chain, in one transaction. Running workers pick it up within seconds (see ActivePolicies).
 */
export async function publishPolicySet(
  db: Db,
  files: PolicyFiles,
  opts: { source: string; author: string; message?: string },
): Promise<Publication> {
  const { set, errors } = validatePolicyFiles(files, opts.source);
  if (!set) {
    throw new AppError(
      'validation_failed',
      `the policies do not validate; nothing was published:\n${errors.map((e) => e.message).join('\n')}`,
    );
  }
  const examples = runPolicyExamples(set);
  if (examples.failures.length > 0) {
    const wrong = examples.failures.map(
      (f) => `${f.policy}: ${f.kind === 'flagged' ? 'missed' : 'wrongly flagged'} "${f.text.slice(0, 60)}"`,
    );
    throw new AppError(
      'validation_failed',
      `${examples.failures.length} policy examples come out wrong; nothing was published (see npx hearth policies test):\n${wrong.join('\n')}`,
    );
  }
  const passed = examples.policies.reduce((n, p) => n + p.passed, 0);
  return db.transaction(async (tx) => {
    // One publisher at a time, so "previous version" is the one actually replaced.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('hearth:publish-policies', 0))`);
    const [previous] = await tx.select({ version: policySets.version }).from(policySets).orderBy(desc(policySets.id)).limit(1);
    const [row] = await tx
      .insert(policySets)
      .values({
        version: set.version,
        files: Object.fromEntries(files),
        author: opts.author,
        message: opts.message ?? null,
        examplesPassed: passed,
      })
      .returning();
    if (!row) throw new Error('policy set insert returned nothing');
    const all = await tx.select({ id: forums.id }).from(forums);
    for (const forum of all) {
      await appendAuditEvent(tx, {
        forumId: forum.id,
        type: 'policy_published',
        actor: `cli:${opts.author}`,
        subjectId: set.version,
        payload: {
          version: set.version,
          previous_version: previous?.version ?? null,
          publication_id: row.id,
          author: opts.author,
          message: opts.message ?? null,
        },
      });
    }
    return {
      id: row.id,
      version: row.version,
      previous_version: previous?.version ?? null,
      author: row.author,
      message: row.message,
      published_at: row.publishedAt.toISOString(),
      forums: all.length,
    };
  });
}

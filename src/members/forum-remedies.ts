import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { appendAuditEvent } from '../audit/audit-log.ts';
import type { Db } from '../db/client.ts';
import { forums } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { crisisSettingsSchema } from './crisis-support.ts';
import { escalationRulesSchema } from './escalation.ts';
import { redactionSettingsSchema } from './redaction.ts';
import { threadAlertSettingsSchema } from './thread-tension.ts';

/**
 * A forum's member remedies, kept in `forums.remedies`. Each part is optional; a forum without
 * one gets the default (no escalation rules).
 */
export const forumRemediesSchema = z
  .object({
    escalation_rules: escalationRulesSchema.optional(),
    thread_alerts: threadAlertSettingsSchema.optional(),
    redaction: redactionSettingsSchema.optional(),
    crisis: crisisSettingsSchema.optional(),
  })
  .strict();

export type ForumRemedies = z.infer<typeof forumRemediesSchema>;

/** Reads stored remedies; a value that no longer parses counts as none rather than stopping moderation. */
export function remediesOf(value: unknown): ForumRemedies {
  const parsed = forumRemediesSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

/** The problems of a remedies change, each named by its path, for a clear 400 or CLI message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(remedies)'}: ${i.message}`).join('; ');
}

/**
 * Replaces the parts of a forum's remedies named in `change` (null removes a part), validated
 * as a whole, with a `forum_updated` audit event in the same transaction.
 */
export async function updateRemedies(
  db: Db,
  forumId: string,
  change: Record<string, unknown>,
  opts: { actor: string },
): Promise<ForumRemedies> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select({ remedies: forums.remedies }).from(forums).where(eq(forums.id, forumId)).for('update');
    if (!current) throw new AppError('forum_not_found', `forum ${forumId} does not exist; see npx hearth forums list`);
    const merged = Object.fromEntries(Object.entries({ ...current.remedies, ...change }).filter(([, v]) => v !== null));
    const parsed = forumRemediesSchema.safeParse(merged);
    if (!parsed.success) throw new AppError('validation_failed', `remedies: ${describeIssues(parsed.error)}`);
    await tx.update(forums).set({ remedies: parsed.data, updatedAt: new Date() }).where(eq(forums.id, forumId));
    await appendAuditEvent(tx, {
      forumId,
      type: 'forum_updated',
      actor: opts.actor,
      subjectId: forumId,
      payload: { changed: Object.keys(change).map((k) => `remedies.${k}`), remedies: parsed.data },
    });
    return parsed.data;
  });
}

import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { appendAuditEvent } from '../audit/audit-log.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { type Forum, forums } from '../db/schema/index.ts';
import { integrationsSchema } from '../engines/engine.ts';
import { AppError } from '../errors.ts';
import { llmSettingsSchema } from '../llm/llm-settings.ts';
import { mergeOverrides, type PolicyOverride, parseForumOverrides } from '../moderation/overrides.ts';
import { callbackUrlProblem } from '../webhooks/callback-address.ts';
import { generateSecret } from '../webhooks/standard-webhooks.ts';

export const forumIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1-63 lower-case letters, digits, - or _, starting with a letter or digit');

export interface CreateForumInput {
  id: string;
  name?: string;
  callbackUrl?: string;
}

export interface ForumSecrets {
  id: string;
  ingest_secret: string;
  callback_secret: string;
}

function checkCallbackUrl(url: string | undefined, allowPrivate: boolean): void {
  if (url === undefined) return;
  const problem = callbackUrlProblem(url, allowPrivate);
  if (problem) throw new AppError('validation_failed', `callback URL ${problem}`);
}

export async function createForum(db: Db, input: CreateForumInput, opts: { allowPrivate: boolean; actor: string }): Promise<ForumSecrets> {
  const id = forumIdSchema.safeParse(input.id);
  if (!id.success) throw new AppError('validation_failed', `forum id: ${id.error.issues[0]?.message}`);
  checkCallbackUrl(input.callbackUrl, opts.allowPrivate);
  const values = {
    id: id.data,
    name: input.name ?? id.data,
    ingestSecret: generateSecret(),
    callbackSecret: generateSecret(),
    callbackUrl: input.callbackUrl ?? null,
  };
  return db.transaction(async (tx) => {
    const inserted = await tx.insert(forums).values(values).onConflictDoNothing().returning({ id: forums.id });
    if (inserted.length === 0) throw new AppError('conflict', `forum ${id.data} already exists`);
    await appendAuditEvent(tx, {
      forumId: id.data,
      type: 'forum_created',
      actor: opts.actor,
      subjectId: id.data,
      payload: { name: values.name, callback_url: values.callbackUrl },
    });
    return { id: values.id, ingest_secret: values.ingestSecret, callback_secret: values.callbackSecret };
  });
}

export interface UpdateForumInput {
  name?: string;
  callbackUrl?: string | null;
  rotateIngestSecret?: boolean;
  rotateCallbackSecret?: boolean;
  /** Clears a 410-disabled callback so deliveries resume. */
  enableCallback?: boolean;
  /** Per-policy changes merged into the forum's overrides; null removes a policy's override. */
  policyOverrides?: Record<string, PolicyOverride | null>;
  /** Days to keep post text (1–3650); null keeps it for ever. */
  retentionDays?: number | null;
  /** Merged into the forum's LLM settings (enabled, daily_calls, daily_tokens); null removes a field. */
  llmSettings?: Record<string, unknown>;
  /** Per engine, merged into the forum's engine settings (see engines/engine.ts); null removes an engine. */
  integrations?: Record<string, Record<string, unknown> | null>;
}

export async function updateForum(
  db: Db,
  id: string,
  input: UpdateForumInput,
  opts: { allowPrivate?: boolean; actor: string },
): Promise<Forum> {
  checkCallbackUrl(input.callbackUrl ?? undefined, opts.allowPrivate ?? false);
  return db.transaction(async (tx) => {
    const changes: Partial<Forum> = {};
    if (input.policyOverrides) {
      const [current] = await tx.select({ overrides: forums.policyOverrides }).from(forums).where(eq(forums.id, id));
      try {
        changes.policyOverrides = mergeOverrides(parseForumOverrides(current?.overrides ?? {}), input.policyOverrides);
      } catch (err) {
        throw new AppError('validation_failed', `policy overrides: ${(err as Error).message}`);
      }
    }
    if (input.name !== undefined) changes.name = input.name;
    if (input.integrations) {
      const [current] = await tx.select({ integrations: forums.integrations }).from(forums).where(eq(forums.id, id));
      const merged: Record<string, unknown> = { ...current?.integrations };
      for (const [engine, change] of Object.entries(input.integrations)) {
        if (change === null) delete merged[engine];
        else merged[engine] = { ...(merged[engine] as object | undefined), ...change };
      }
      const parsed = integrationsSchema.safeParse(merged);
      if (!parsed.success)
        throw new AppError(
          'validation_failed',
          `engine settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      for (const url of [parsed.data.discourse?.base_url]) checkCallbackUrl(url, opts.allowPrivate ?? false);
      changes.integrations = parsed.data;
    }
    if (input.llmSettings) {
      const [current] = await tx.select({ settings: forums.llmSettings }).from(forums).where(eq(forums.id, id));
      const merged = Object.fromEntries(Object.entries({ ...current?.settings, ...input.llmSettings }).filter(([, v]) => v !== null));
      const parsed = llmSettingsSchema.safeParse(merged);
      if (!parsed.success)
        throw new AppError(
          'validation_failed',
          `LLM settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      changes.llmSettings = parsed.data;
    }
    if (input.retentionDays !== undefined) {
      const days = input.retentionDays;
      if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
        throw new AppError('validation_failed', 'retention days must be a whole number from 1 to 3650');
      }
      changes.retentionDays = days;
    }
    if (input.callbackUrl !== undefined) changes.callbackUrl = input.callbackUrl;
    if (input.rotateIngestSecret) changes.ingestSecret = generateSecret();
    if (input.rotateCallbackSecret) changes.callbackSecret = generateSecret();
    if (input.enableCallback || input.callbackUrl !== undefined) {
      changes.callbackDisabledAt = null;
      changes.callbackDisabledReason = null;
    }
    const changed = Object.keys(changes);
    const [row] = await tx
      .update(forums)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(forums.id, id))
      .returning();
    if (!row) throw new AppError('forum_not_found', `forum ${id} does not exist; see npx hearth forums list`);
    // Secrets are never written to the audit log; only the fact that they changed.
    await appendAuditEvent(tx, {
      forumId: id,
      type: 'forum_updated',
      actor: opts.actor,
      subjectId: id,
      payload: {
        changed,
        callback_url: row.callbackUrl,
        policy_overrides: row.policyOverrides,
        retention_days: row.retentionDays,
        llm_settings: row.llmSettings,
        // Which engines are set up, never their secrets or API keys.
        engines: Object.keys(row.integrations),
      },
    });
    return row;
  });
}

export async function getForum(db: DbOrTx, id: string): Promise<Forum | undefined> {
  const [row] = await db.select().from(forums).where(eq(forums.id, id)).limit(1);
  return row;
}

export async function listForums(db: DbOrTx): Promise<Forum[]> {
  return db.select().from(forums).orderBy(forums.id);
}

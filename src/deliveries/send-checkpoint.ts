import { eq } from 'drizzle-orm';
import { checkpointView } from '../audit/audit-checkpoints.ts';
import type { AppContext } from '../context.ts';
import { auditCheckpoints, forums } from '../db/schema/index.ts';
import { postJson } from '../webhooks/post-json.ts';
import { signedHeaders } from '../webhooks/standard-webhooks.ts';

/**
 * Sends one stored checkpoint to its forum's callback as `audit.checkpoint`, signed like every
 * callback (Standard Webhooks, the forum's callback secret) and carrying Hearth's own Ed25519
 * signature, which the forum keeps. The webhook-id names the checkpoint, so retries repeat it.
 */
export async function sendCheckpoint(
  ctx: Pick<AppContext, 'database' | 'config' | 'audit'>,
  checkpointId: number,
): Promise<{ outcome: 'succeeded' | 'retry' | 'skipped'; statusCode?: number; error?: string }> {
  const [row] = await ctx.database.db
    .select({ checkpoint: auditCheckpoints, forum: forums })
    .from(auditCheckpoints)
    .innerJoin(forums, eq(forums.id, auditCheckpoints.forumId))
    .where(eq(auditCheckpoints.id, checkpointId));
  if (!row?.forum.callbackUrl || row.forum.callbackDisabledAt) return { outcome: 'skipped' };
  const body = JSON.stringify(checkpointView(row.checkpoint, ctx.audit.key));
  const webhookId = `chk_${row.checkpoint.forumId}_${row.checkpoint.seq}`;
  try {
    const res = await postJson(
      row.forum.callbackUrl,
      body,
      { ...signedHeaders(row.forum.callbackSecret, webhookId, body) },
      {
        timeoutMs: ctx.config.callbacks.timeoutMs,
        allowPrivate: ctx.config.callbacks.allowPrivate,
      },
    );
    if (res.status >= 200 && res.status < 300) return { outcome: 'succeeded', statusCode: res.status };
    return { outcome: 'retry', statusCode: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    return { outcome: 'retry', error: (err as Error).message.slice(0, 500) };
  }
}

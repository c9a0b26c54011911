import { createPublicKey } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client.ts';
import { type AuditCheckpoint, auditCheckpoints } from '../db/schema/index.ts';
import { type AuditKey, checkCheckpointSignature, signCheckpoint } from './audit-key.ts';
import { type ChainHead, type ChainReport, verifyAuditChain } from './audit-log.ts';
import { canonicalJson } from './canonical-json.ts';

/** A checkpoint as the forum receives it (`audit.checkpoint` callback) and gives it back to verify. */
export const checkpointSchema = z.object({
  type: z.literal('audit.checkpoint'),
  forum_id: z.string().min(1).max(200),
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  created_at: z.iso.datetime(),
  key_id: z.string().regex(/^[0-9a-f]{16}$/),
  /** Ed25519 over the canonical JSON of every other field, base64. */
  signature: z.string().min(1).max(200),
  /** The signing public key (SPKI DER, base64), for forums that check signatures themselves; pin it. */
  public_key: z.string().min(1).max(200).optional(),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

function signedMaterial(c: Pick<Checkpoint, 'forum_id' | 'seq' | 'hash' | 'created_at' | 'key_id'>): string {
  return canonicalJson({
    type: 'audit.checkpoint',
    forum_id: c.forum_id,
    seq: c.seq,
    hash: c.hash,
    created_at: c.created_at,
    key_id: c.key_id,
  });
}

export function checkpointView(row: AuditCheckpoint, key?: AuditKey): Checkpoint {
  return {
    type: 'audit.checkpoint',
    forum_id: row.forumId,
    seq: row.seq,
    hash: row.hash,
    created_at: row.createdAt.toISOString(),
    key_id: row.keyId,
    signature: row.signature,
    ...(key && key.id === row.keyId ? { public_key: key.publicKeyBase64 } : {}),
  };
}

/** Signs the forum's chain head and stores the checkpoint (inside the sealing transaction). */
export async function createCheckpoint(tx: DbOrTx, key: AuditKey, forumId: string, head: ChainHead): Promise<AuditCheckpoint | undefined> {
  const createdAt = new Date();
  const signature = signCheckpoint(
    key,
    signedMaterial({ forum_id: forumId, seq: head.seq, hash: head.hash, created_at: createdAt.toISOString(), key_id: key.id }),
  );
  const [row] = await tx
    .insert(auditCheckpoints)
    .values({ forumId, seq: head.seq, hash: head.hash, keyId: key.id, signature, createdAt })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function listCheckpoints(db: DbOrTx, forumId: string, limit = 100): Promise<AuditCheckpoint[]> {
  return db.select().from(auditCheckpoints).where(eq(auditCheckpoints.forumId, forumId)).orderBy(desc(auditCheckpoints.seq)).limit(limit);
}

/** Whether Hearth's key signed this checkpoint: nobody without the audit key can make one. */
export function checkpointSignedBy(key: AuditKey, c: Checkpoint): boolean {
  if (c.key_id !== key.id) return false;
  return checkCheckpointSignature(key.publicKey, signedMaterial(c), c.signature);
}

/** Checks a signature against a public key a forum pinned (base64 SPKI DER). */
export function checkpointSignedWith(publicKeyBase64: string, c: Checkpoint): boolean {
  const publicKey = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
  return checkCheckpointSignature(publicKey, signedMaterial(c), c.signature);
}

export interface CheckpointReport extends ChainReport {
  checkpoint?: { seq: number; ok: boolean; reason?: string };
}

/**
 * Verifies the forum's chain and compares it with checkpoints: the one a forum kept (given),
 * else the newest stored one. The chain must still reach the checkpoint's seq (else the newest
 * events were deleted) and hold the checkpoint's hash there (else it was rewritten, even with
 * every hash recomputed).
 */
export async function verifyWithCheckpoint(
  db: DbOrTx,
  forumId: string,
  key: AuditKey | undefined,
  kept?: Checkpoint,
): Promise<CheckpointReport> {
  let checkpoint: Checkpoint | undefined = kept;
  if (!checkpoint && key) {
    const [stored] = await db
      .select()
      .from(auditCheckpoints)
      .where(and(eq(auditCheckpoints.forumId, forumId), eq(auditCheckpoints.keyId, key.id)))
      .orderBy(desc(auditCheckpoints.seq))
      .limit(1);
    checkpoint = stored ? checkpointView(stored) : undefined;
  }
  const atSeq = new Map<number, string | null>();
  if (checkpoint) atSeq.set(checkpoint.seq, null);
  const report: CheckpointReport = await verifyAuditChain(db, forumId, { key, atSeq });
  if (!checkpoint) return report;
  const fail = (reason: string): CheckpointReport => ({ ...report, ok: false, checkpoint: { seq: checkpoint.seq, ok: false, reason } });
  if (checkpoint.forum_id !== forumId) return fail(`the checkpoint is for forum ${checkpoint.forum_id}`);
  if (!key) return fail('no audit key configured: the checkpoint cannot be checked');
  if (!checkpointSignedBy(key, checkpoint)) return fail('the checkpoint is not signed by this audit key');
  if (!report.ok) return { ...report, checkpoint: { seq: checkpoint.seq, ok: false, reason: 'the chain is broken' } };
  const found = atSeq.get(checkpoint.seq);
  if (found === null || found === undefined) {
    return fail(`the chain ends at seq ${report.head?.seq ?? 0}, before the checkpoint's seq ${checkpoint.seq}: events were deleted`);
  }
  if (found !== checkpoint.hash) return fail(`event ${checkpoint.seq} differs from the checkpoint: the chain was rewritten`);
  return { ...report, checkpoint: { seq: checkpoint.seq, ok: true } };
}

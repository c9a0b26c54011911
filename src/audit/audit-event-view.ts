import type { AuditEvent } from '../db/schema/index.ts';
import { maskAuditPayload } from '../privacy/mask-personal-data.ts';

/** An audit event as the API shows it. */
export interface AuditEventView {
  id: number;
  forum_id: string;
  /** Null only between the commit and the sealing (milliseconds). */
  seq: number | null;
  type: AuditEvent['type'];
  actor: string;
  subject_id: string | null;
  payload: Record<string, unknown>;
  hash: string | null;
  prev_hash: string | null;
  created_at: string;
}

/** `mask` (auditor keys): free-text fields such as a review's note with contact details masked. */
export function auditEventView(e: AuditEvent, opts: { mask: boolean } = { mask: false }): AuditEventView {
  return {
    id: e.id,
    forum_id: e.forumId,
    seq: e.seq,
    type: e.type,
    actor: e.actor,
    subject_id: e.subjectId,
    payload: opts.mask ? maskAuditPayload(e.payload) : e.payload,
    hash: e.hash,
    prev_hash: e.prevHash,
    created_at: e.createdAt.toISOString(),
  };
}

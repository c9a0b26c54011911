import { and, asc, desc, eq, gt, gte, lt, type SQL } from 'drizzle-orm';
import type { ForumScope } from '../auth/api-keys.ts';
import { scopedForumCondition } from '../auth/forum-scope.ts';
import type { DbOrTx } from '../db/client.ts';
import { type AuditEvent, type AuditEventType, auditEvents } from '../db/schema/index.ts';
import { decodeNumericCursor, encodeCursor } from '../decisions/cursor.ts';
import type { Page } from '../decisions/list-decisions.ts';

export interface AuditFilters {
  forumId?: string;
  type?: AuditEventType;
  subjectId?: string;
  from?: Date;
  to?: Date;
}

function conditions(scope: ForumScope, f: AuditFilters): Array<SQL | undefined> {
  return [
    scopedForumCondition(auditEvents.forumId, scope, f.forumId),
    f.type ? eq(auditEvents.type, f.type) : undefined,
    f.subjectId ? eq(auditEvents.subjectId, f.subjectId) : undefined,
    f.from ? gte(auditEvents.createdAt, f.from) : undefined,
    f.to ? lt(auditEvents.createdAt, f.to) : undefined,
  ];
}

/** Audit events newest first; the cursor is the last event's id, which only grows. */
export async function listAuditEvents(
  db: DbOrTx,
  scope: ForumScope,
  filters: AuditFilters,
  page: { limit: number; cursor?: string },
): Promise<Page<AuditEvent>> {
  const where = conditions(scope, filters);
  if (page.cursor) where.push(lt(auditEvents.id, decodeNumericCursor(page.cursor)));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > page.limit && last ? encodeCursor(last.id) : null };
}

/** Every matching event oldest first, in batches, for streaming an export of any size. */
export async function* exportAuditEvents(
  db: DbOrTx,
  scope: ForumScope,
  filters: AuditFilters,
  batchSize = 1000,
): AsyncGenerator<AuditEvent> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(...conditions(scope, filters), gt(auditEvents.id, after)))
      .orderBy(asc(auditEvents.id))
      .limit(batchSize);
    yield* rows;
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    after = last.id;
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvent, verifyAuditChain } from '../../src/audit/audit-log.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('audit events', () => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, 4);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('chain per forum, even with concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.db.transaction((tx) => appendAuditEvent(tx, { forumId: i % 2 ? 'a' : 'b', type: 'received', actor: 'test', payload: { i } })),
      ),
    );
    expect(await verifyAuditChain(db.db, 'a')).toEqual({ ok: true, checked: 10 });
    expect(await verifyAuditChain(db.db, 'b', 3)).toEqual({ ok: true, checked: 10 });
  });

  it('are written with the change or not at all', async () => {
    await expect(
      db.db.transaction(async (tx) => {
        await appendAuditEvent(tx, { forumId: 'c', type: 'received', actor: 'test', payload: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await verifyAuditChain(db.db, 'c')).toEqual({ ok: true, checked: 0 });
  });

  it('cannot be updated or deleted', async () => {
    await expect(db.sql`update audit_events set actor = 'mallory' where forum_id = 'a'`).rejects.toThrow(/append-only/);
    await expect(db.sql`delete from audit_events where forum_id = 'a'`).rejects.toThrow(/append-only/);
    await expect(db.sql`truncate audit_events`).rejects.toThrow(/append-only/);
  });

  it('verification finds a row tampered with directly in SQL', async () => {
    // Only someone able to drop the guard can tamper; the chain still exposes it.
    await db.sql.unsafe(`
      alter table audit_events disable trigger audit_events_append_only;
      update audit_events set payload = '{"i": 999}' where forum_id = 'b' and seq = 4;
      alter table audit_events enable trigger audit_events_append_only;
    `);
    const report = await verifyAuditChain(db.db, 'b');
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: 4, reason: expect.stringMatching(/hash/) });
  });
});

import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Checkpoint, checkpointSignedWith, checkpointView, verifyWithCheckpoint } from '../../src/audit/audit-checkpoints.ts';
import { deriveAuditKey } from '../../src/audit/audit-key.ts';
import { AuditKeyMismatchError, appendAuditEvent, hashEvent, pendingEvents, verifyAuditChain } from '../../src/audit/audit-log.ts';
import { AuditSealer } from '../../src/audit/audit-sealer.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { type AuditCheckpoint, auditEvents } from '../../src/db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const key = deriveAuditKey('a test audit key, long enough to be accepted');
const otherKey = deriveAuditKey('another audit key, e.g. one an attacker made up');

describe('audit events', () => {
  let database: TestDatabase;
  let db: Database;
  const checkpoints: AuditCheckpoint[] = [];
  let sealer: AuditSealer;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, 6);
    sealer = new AuditSealer(db.db, {
      key,
      checkpointIntervalMs: 0,
      onCheckpoint: async (c) => void checkpoints.push(c),
    });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  const append = (forumId: string, payload: Record<string, unknown>) =>
    db.db.transaction((tx) => appendAuditEvent(tx, { forumId, type: 'received', actor: 'test', payload }));
  /** Edits rows the way only someone who can drop the guard can (a database administrator). */
  const asOwner = (statements: string) =>
    db.sql.unsafe(`
      alter table audit_events disable trigger audit_events_append_only;
      ${statements};
      alter table audit_events enable trigger audit_events_append_only;
    `);
  const latestCheckpoint = (forumId: string): Checkpoint => {
    const row = checkpoints.filter((c) => c.forumId === forumId).sort((a, b) => b.seq - a.seq)[0];
    if (!row) throw new Error(`no checkpoint for ${forumId}`);
    return checkpointView(row, key);
  };

  it('chain per forum, with concurrent writers and concurrent sealers', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => append(i % 2 ? 'a' : 'b', { i })));
    expect(await pendingEvents(db.db, 'a')).toMatchObject({ count: 10 });
    // Two sealers (as in two worker processes) at once: the forum's lock keeps one chain.
    const other = new AuditSealer(db.db, { key, checkpointIntervalMs: 3_600_000 });
    await Promise.all([sealer.seal('a'), other.seal('a'), sealer.sealAll(), other.seal('b')]);
    expect(await verifyAuditChain(db.db, 'a', { key })).toMatchObject({ ok: true, checked: 10, unkeyed: 0 });
    expect(await verifyAuditChain(db.db, 'b', { key, batchSize: 3 })).toMatchObject({ ok: true, checked: 10, head: { seq: 10 } });
    expect(await pendingEvents(db.db)).toEqual({ count: 0, oldest_seconds: 0 });
  });

  it('are written with the change or not at all', async () => {
    await expect(
      db.db.transaction(async (tx) => {
        await appendAuditEvent(tx, { forumId: 'c', type: 'received', actor: 'test', payload: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await sealer.seal('c');
    expect(await verifyAuditChain(db.db, 'c', { key })).toMatchObject({ ok: true, checked: 0 });
  });

  it('cannot be updated or deleted; an unsealed event can only be sealed', async () => {
    await expect(db.sql`update audit_events set actor = 'mallory' where forum_id = 'a'`).rejects.toThrow(/append-only/);
    await expect(db.sql`delete from audit_events where forum_id = 'a'`).rejects.toThrow(/append-only/);
    await expect(db.sql`truncate audit_events`).rejects.toThrow(/append-only/);
    await append('d', { i: 1 });
    await expect(db.sql`update audit_events set payload = '{"i": 2}' where forum_id = 'd'`).rejects.toThrow(/append-only/);
    await expect(
      db.sql`update audit_events set seq = 1, prev_hash = 'x', hash = 'y', actor = 'mallory' where forum_id = 'd'`,
    ).rejects.toThrow(/append-only/);
    await sealer.seal('d');
    await expect(db.sql`update audit_events set seq = 7 where forum_id = 'd'`).rejects.toThrow(/append-only/);
  });

  it('verification finds a row tampered with directly in SQL', async () => {
    await asOwner(`update audit_events set payload = '{"i": 999}' where forum_id = 'b' and seq = 4`);
    const report = await verifyAuditChain(db.db, 'b', { key });
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: 4, reason: expect.stringMatching(/hash/) });
  });

  it('is keyed: the same chain does not verify with another key or none, and a hash recomputed without the key is found', async () => {
    for (let i = 0; i < 5; i++) await append('e', { i });
    await sealer.seal('e');
    expect(await verifyAuditChain(db.db, 'e', { key })).toMatchObject({ ok: true, checked: 5 });
    expect((await verifyAuditChain(db.db, 'e', { key: otherKey })).ok).toBe(false);
    expect((await verifyAuditChain(db.db, 'e')).ok).toBe(false);
    // Someone with the database (or a backup) but not the key rewrites event 3 and recomputes
    // every hash after it the only way they can: unkeyed, or with a key of their own.
    for (const forger of [undefined, otherKey]) {
      const rows = await db.db.select().from(auditEvents).where(eq(auditEvents.forumId, 'e')).orderBy(asc(auditEvents.seq));
      let prevHash = rows[1]?.hash as string;
      const updates: string[] = [];
      for (const row of rows.slice(2)) {
        const payload = row.seq === 3 ? { i: 'rewritten' } : row.payload;
        const hash = hashEvent({ ...row, seq: row.seq as number, payload, prevHash }, forger);
        updates.push(
          `update audit_events set payload = '${JSON.stringify(payload)}', prev_hash = '${prevHash}', hash = '${hash}' where id = ${row.id}`,
        );
        prevHash = hash;
      }
      await asOwner(updates.join(';\n'));
      const report = await verifyAuditChain(db.db, 'e', { key });
      expect(report.ok).toBe(false);
      expect(report.firstBroken?.seq).toBe(3);
    }
  });

  it('a skipped seq fails verification', async () => {
    for (let i = 0; i < 4; i++) await append('f', { i });
    await sealer.seal('f');
    await asOwner(`delete from audit_events where forum_id = 'f' and seq = 2`);
    const report = await verifyAuditChain(db.db, 'f', { key });
    expect(report).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'expected seq 2' } });
  });

  describe('checkpoints', () => {
    it('signs the head after sealing, checkable with the public key alone', async () => {
      for (let i = 0; i < 6; i++) await append('g', { i });
      await sealer.seal('g');
      const kept = latestCheckpoint('g');
      expect(kept).toMatchObject({ type: 'audit.checkpoint', forum_id: 'g', seq: 6, key_id: key.id });
      expect(checkpointSignedWith(key.publicKeyBase64, kept)).toBe(true);
      expect(checkpointSignedWith(key.publicKeyBase64, { ...kept, seq: 5 })).toBe(false);
      expect(await verifyWithCheckpoint(db.db, 'g', key, kept)).toMatchObject({ ok: true, checkpoint: { seq: 6, ok: true } });
    });

    it('finds the newest events deleted, which the chain alone cannot show', async () => {
      for (let i = 0; i < 4; i++) await append('h', { i });
      await sealer.seal('h');
      const kept = latestCheckpoint('h');
      await asOwner(`delete from audit_events where forum_id = 'h' and seq >= 3;
        alter table audit_checkpoints disable trigger audit_checkpoints_append_only;
        delete from audit_checkpoints where forum_id = 'h';
        alter table audit_checkpoints enable trigger audit_checkpoints_append_only`);
      expect(await verifyAuditChain(db.db, 'h', { key })).toMatchObject({ ok: true, checked: 2 });
      const report = await verifyWithCheckpoint(db.db, 'h', key, kept);
      expect(report).toMatchObject({ ok: false, checkpoint: { seq: 4, ok: false } });
      expect(report.checkpoint?.reason).toMatch(/ends at seq 2.*deleted/);
    });

    it('finds the newest events deleted against the stored checkpoint too, when it is left in place', async () => {
      for (let i = 0; i < 3; i++) await append('i', { i });
      await sealer.seal('i');
      await asOwner(`delete from audit_events where forum_id = 'i' and seq = 3`);
      expect(await verifyWithCheckpoint(db.db, 'i', key)).toMatchObject({ ok: false, checkpoint: { seq: 3, ok: false } });
    });

    it('finds a rewrite with every hash recomputed with the real key (a stolen key)', async () => {
      for (let i = 0; i < 5; i++) await append('j', { i });
      await sealer.seal('j');
      const kept = latestCheckpoint('j');
      const rows = await db.db.select().from(auditEvents).where(eq(auditEvents.forumId, 'j')).orderBy(asc(auditEvents.seq));
      let prevHash = rows[0]?.hash as string;
      const updates: string[] = [];
      for (const row of rows.slice(1)) {
        const payload = row.seq === 2 ? { i: 'rewritten' } : row.payload;
        const hash = hashEvent({ ...row, seq: row.seq as number, payload, prevHash }, key);
        updates.push(
          `update audit_events set payload = '${JSON.stringify(payload)}', prev_hash = '${prevHash}', hash = '${hash}' where id = ${row.id}`,
        );
        prevHash = hash;
      }
      await asOwner(updates.join(';\n'));
      // The rewritten chain is internally consistent; only the kept checkpoint shows the rewrite.
      expect(await verifyAuditChain(db.db, 'j', { key })).toMatchObject({ ok: true, checked: 5 });
      const report = await verifyWithCheckpoint(db.db, 'j', key, kept);
      expect(report).toMatchObject({ ok: false, checkpoint: { seq: 5, ok: false, reason: expect.stringMatching(/rewritten/) } });
    });

    it('a process without the chain key, or with another, does not extend a checkpointed chain', async () => {
      await append('g', { late: true });
      for (const wrongKey of [undefined, otherKey]) {
        const wrong = new AuditSealer(db.db, { key: wrongKey, checkpointIntervalMs: 0 });
        await expect(wrong.seal('g')).rejects.toThrow(AuditKeyMismatchError);
      }
      expect(await pendingEvents(db.db, 'g')).toMatchObject({ count: 1 });
      await sealer.seal('g');
      expect(await verifyAuditChain(db.db, 'g', { key })).toMatchObject({ ok: true, checked: 7, unkeyed: 0 });
    });

    it('refuses a checkpoint not signed with the audit key, or for another forum', async () => {
      const kept = latestCheckpoint('g');
      const forged: Checkpoint = { ...kept, hash: 'f'.repeat(64) };
      expect(await verifyWithCheckpoint(db.db, 'g', key, forged)).toMatchObject({
        ok: false,
        checkpoint: { ok: false, reason: expect.stringMatching(/not signed/) },
      });
      expect(await verifyWithCheckpoint(db.db, 'e', key, kept)).toMatchObject({ ok: false, checkpoint: { ok: false } });
    });
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/audit/audit-log.ts';
import { callApi } from '../../support/api.ts';
import { type Harness, samplePost, startHarness } from '../../support/harness.ts';
import { queuesDrained } from '../../support/queues.ts';
import { keyFor } from '../../support/seed.ts';

let h: Harness;
let admin: Record<string, string>;
let moderator: Record<string, string>;

const AUTHOR = 'u-leaving-7731';
const THEIRS = {
  root: 'My zebra-striped heat pad finally arrived and my lower back thanks me.',
  leak: 'Her number is 0412 555 019, call and tell her what you think of her quilting.',
  crisis: "I've saved up all my pills and I'm going to take them tonight. Thank you all for everything.",
};
const NOTE = 'Spoke with the member about the marmalade incident.';

beforeAll(async () => {
  h = await startHarness({ workers: true, receiver: true });
  admin = (await keyFor(h.ctx, 'admin')).headers;
  moderator = (await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'sam' })).headers;
});
afterAll(() => h.close());

const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) => callApi(h.app, method, path, headers, body);

async function post(id: string, author: string, body: string, extra: Record<string, unknown> = {}) {
  const res = await h.submit(
    { ...samplePost(body, extra), id, author: author === AUTHOR ? { id: author, name: 'Marigold Pemberton' } : { id: author } },
    { query: '?wait=10000' },
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { decision_id: string; action: string };
}

/** Every row of every table in the database, as text. */
async function everyRow(): Promise<string> {
  const tables = (await h.ctx.database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  )) as unknown as Array<{ table_name: string }>;
  expect(tables.length).toBeGreaterThan(8);
  let all = '';
  for (const { table_name } of tables) {
    const rows = (await h.ctx.database.db.execute(sql.raw(`select t::text as row from "${table_name}" t`))) as unknown as Array<{
      row: string;
    }>;
    all += rows.map((r) => r.row).join('\n');
  }
  return all;
}

describe('erasure', () => {
  it("removes a member's text, notes about them and their id from every table, and the chain still verifies", async () => {
    await call('PATCH', '/v1/forums/chronic-pain/remedies', admin, {
      redaction: { policies: ['privacy_leak'] },
      thread_alerts: { pile_on: { authors: 3 } },
    });
    await post('root', AUTHOR, THEIRS.root, { thread_id: 't-9' });
    const leak = await post('leak', AUTHOR, THEIRS.leak);
    expect(leak.action).toBe('redact');
    await post('crisis', AUTHOR, THEIRS.crisis);
    for (const [i, other] of ['u-a', 'u-b', 'u-c'].entries()) {
      await post(`pile-${i}`, other, 'You are a pathetic liar and everyone here knows it.', { thread_id: 't-9', reply_to: 'root' });
    }
    const review = await call('POST', `/v1/decisions/${leak.decision_id}/reviews`, moderator, { outcome: 'confirm', note: NOTE });
    expect(review.status).toBe(201);
    await queuesDrained(h.ctx);
    const before = await everyRow();
    for (const text of [AUTHOR, THEIRS.root, NOTE, 'Marigold Pemberton', '[phone removed], call']) expect(before).toContain(text);
    expect(h.receiver.calls.some((c) => c.body.includes('"alert.urgent"'))).toBe(true);
    expect(h.receiver.calls.some((c) => c.body.includes('"thread.alert"'))).toBe(true);

    expect((await call('DELETE', `/v1/forums/chronic-pain/authors/${AUTHOR}`, moderator)).status).toBe(403);
    const forgotten = await call('DELETE', `/v1/forums/chronic-pain/authors/${AUTHOR}`, admin);
    expect(forgotten.status).toBe(200);
    expect(forgotten.body).toMatchObject({ posts: 3, revisions: 3, decisions: 3, reviews: 1, thread_alerts: 1 });
    expect(forgotten.body.author_hash).toMatch(/^forgotten_[0-9a-f]{32}$/);
    expect(forgotten.body.queued_jobs).toBeGreaterThanOrEqual(3);

    const after = await everyRow();
    expect(after).not.toContain(AUTHOR);
    expect(after).not.toContain('Marigold Pemberton');
    expect(after).not.toContain(NOTE);
    for (const text of Object.values(THEIRS)) for (const words of text.match(/\w[\w' ]{12,}/g) ?? []) expect(after).not.toContain(words);
    expect(after).not.toContain('[phone removed], call');
    expect(after).toContain(forgotten.body.author_hash);
    // Other members' posts stay as they were.
    expect(after).toContain('You are a pathetic liar and everyone here knows it.');

    expect(await verifyAuditChain(h.ctx.database.db, 'chronic-pain')).toMatchObject({ ok: true });
    expect((await call('GET', `/v1/forums/chronic-pain/authors/${AUTHOR}`, moderator)).status).toBe(404);
    expect((await call('DELETE', `/v1/forums/chronic-pain/authors/${AUTHOR}`, admin)).status).toBe(404);
    expect((await call('DELETE', '/v1/forums/nowhere/authors/u-1', admin)).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';

/**
 * PostgreSQL unreachable at ingest: for a forum it already knows, the API keeps accepting posts
 * with the last record the database gave, for as long as `ingest.forumStaleMs` allows; past that
 * it answers 503. (Posts accepted meanwhile are decided once the database is back: tests/e2e.)
 */
const TTL_MS = 100;
const STALE_MS = 2500;
let h: Harness;
let admin: Database;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function setConnections(allowed: boolean) {
  await admin.sql.unsafe(`alter database "${h.database.name}" with allow_connections ${allowed}`);
  if (!allowed) await admin.sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${h.database.name}`;
}

beforeAll(async () => {
  h = await startHarness({ config: { ingest: { forumCacheTtlMs: TTL_MS, forumStaleMs: STALE_MS } } });
  const u = new URL(h.database.url);
  u.pathname = '/postgres';
  admin = createDatabase(u.toString(), 1);
});
afterAll(async () => {
  await setConnections(true);
  await admin.close();
  await h.close();
});

describe('ingest while PostgreSQL is down', () => {
  it('serves the last known forum record (202) within its bound, then 503, and recovers', async () => {
    expect((await h.submit(samplePost())).status).toBe(202);
    const known = Date.now();
    await setConnections(false);
    // The cached record is older than its time to live: every request now asks the database.
    await pause(TTL_MS * 2);

    const started = performance.now();
    const during = await h.submit(samplePost('Sent while the database is down.'));
    expect(during.status).toBe(202);
    // Bounded by the refresh deadline, not by PostgreSQL's connect timeout.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(h.ctx.forums.staleServed).toBeGreaterThan(0);
    const queued = await h.ctx.queues.moderate.getJob(((await during.json()) as { submission_id: string }).submission_id);
    expect(queued?.data.post.body).toBe('Sent while the database is down.');

    // Past the bound, the record is too old to trust: 503, and the forum retries.
    await pause(Math.max(0, known + STALE_MS + 50 - Date.now()));
    const late = await h.submit(samplePost());
    expect(late.status).toBe(503);

    await setConnections(true);
    expect((await h.submit(samplePost())).status).toBe(202);
  });

  it('answers 404 for a forum it never knew, as before', async () => {
    expect((await h.submit(samplePost(), { forumId: 'never-seen' })).status).toBe(404);
  });
});

import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateForum } from '../../src/forums/forums.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { keyFor, seedDecision } from '../support/seed.ts';

/**
 * Requests an attacker sends on purpose: prototype keys in paths, NUL in queries, dates no
 * database stores, values nested deeper than any encoder goes. Each gets a clear 4xx in the one
 * error shape and queues nothing, where each used to be a 500 with a stack trace in the logs.
 */
let h: Harness;
let admin: Record<string, string>;
const mastodonSecret = 'mastodon-secret-for-tests';

beforeAll(async () => {
  h = await startHarness();
  admin = (await keyFor(h.ctx, 'admin')).headers;
  await updateForum(h.ctx.database.db, 'chronic-pain', { integrations: { mastodon: { secret: mastodonSecret } } }, { actor: 'test' });
  h.ctx.forums.invalidate('chronic-pain');
});
afterAll(() => h.close());

async function queued(): Promise<number> {
  let n = 0;
  for (const queue of [h.ctx.queues.moderate, h.ctx.queues.moderateUrgent]) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    n += Object.values(counts).reduce((a, b) => a + b, 0);
  }
  return n;
}

async function expect4xx(res: Response, status: number) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.message.length).toBeGreaterThan(0);
}

function mastodon(createdAt: string) {
  const body = JSON.stringify({
    event: 'status.created',
    object: {
      id: `1135${Date.now()}`,
      content: '<p>Flare day, resting with the heat pad.</p>',
      created_at: createdAt,
      account: { id: '77', username: 'flarediary' },
    },
  });
  return h.app.request('/v1/hooks/mastodon/chronic-pain', {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature': `sha256=${createHmac('sha256', mastodonSecret).update(body).digest('hex')}`,
    },
  });
}

describe('ingest refuses at the door what a worker could never store', () => {
  it('400 for a created_at outside 1970 to a day from now, directly and through Mastodon', async () => {
    const before = await queued();
    for (const createdAt of ['0001-01-01T00:30:00+01:00', '9999-12-31T23:00:00-14:00', '1969-12-31T23:59:59Z']) {
      await expect4xx(await h.submit(samplePost(undefined, { created_at: createdAt })), 400);
      await expect4xx(await mastodon(createdAt), 400);
    }
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await expect4xx(await h.submit(samplePost(undefined, { created_at: nextWeek })), 400);
    expect(await queued()).toBe(before);
    // A sane date still goes through, by both doors.
    expect((await h.submit(samplePost(undefined, { created_at: '2026-11-20T09:14:01+01:00' }))).status).toBe(202);
    expect((await mastodon('2026-11-20T09:14:01.000Z')).status).toBe(202);
    expect(await queued()).toBe(before + 2);
  });

  it('400 for metadata nested 5,000 deep, which Redis cannot encode', async () => {
    const before = await queued();
    let deep = '{"a":1}';
    for (let i = 0; i < 5000; i++) deep = `{"x":${deep}}`;
    const body = JSON.stringify(samplePost()).replace(/}$/, `,"metadata":${deep}}`);
    await expect4xx(await h.submit(body), 400);
    expect(await queued()).toBe(before);
  });
});

describe('paths and queries that name nothing', () => {
  it('404 for an engine named __proto__, constructor or toString', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      await expect4xx(await h.app.request(`/v1/hooks/${name}/chronic-pain`, { method: 'POST', body: '{}' }), 404);
    }
  });

  it('400 for NUL in forum_id and other query text, and for a date no database compares', async () => {
    for (const path of [
      '/v1/audit-events/export?forum_id=%00',
      '/v1/audit-events?forum_id=chronic%00pain',
      '/v1/audit-events/verify?forum_id=%00',
      '/v1/audit-events?subject_id=%00',
      '/v1/decisions?forum_id=%00',
      '/v1/decisions?cursor=%00',
      '/v1/decisions?from=0000-01-01T00:00:00Z',
      '/v1/audit-events?from=0000-01-01T00:00:00Z',
      '/v1/audit-events/export?to=0000-01-01T00:00:00Z',
      '/v1/stats?from=0000-01-01T00:00:00Z',
    ]) {
      const res = await h.app.request(path, { headers: admin });
      expect(res.status, path).toBe(400);
    }
    // The same routes with sane values answer.
    expect((await h.app.request('/v1/decisions?from=2026-01-01T00:00:00Z', { headers: admin })).status).toBe(200);
  });
});

describe('bodies of API-key routes', () => {
  /** A chunked body of `total` bytes made on demand; `pulled` says how much the server read. */
  function hugeBody(total: number) {
    const chunk = new TextEncoder().encode(`{"outcome":"override","action":"allow","labels":[],"note":"${'x'.repeat(65_000)}`);
    const state = { pulled: 0 };
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (state.pulled >= total) return controller.close();
        state.pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    return { stream, state };
  }

  it('are refused past 64 KiB without being read to the end, declared or chunked, and nothing is recorded', async () => {
    const decision = await seedDecision(h.ctx, { action: 'review', flagged: [{ policy: 'hostility', score: 0.6 }] });
    const path = `/v1/decisions/${decision.id}/reviews`;
    const huge = hugeBody(200 * 1024 * 1024);
    const chunked = await h.app.request(path, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: huge.stream,
      duplex: 'half',
    } as RequestInit);
    expect([400, 413]).toContain(chunked.status);
    expect(huge.state.pulled).toBeLessThan(1024 * 1024);

    const declared = await h.app.request(path, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) },
      body: '{}',
    });
    await expect4xx(declared, 413);
    const [row] = await h.ctx.database.sql`select count(*)::int as n from reviews where decision_id = ${decision.id}`;
    expect(row?.n).toBe(0);
    // A body of ordinary size is still read.
    const ok = await h.app.request(path, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'confirm', labels: [] }),
    });
    expect(ok.status).toBeLessThan(300);
  });
});

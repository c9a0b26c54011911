import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForum, type ForumSecrets } from '../../src/forums/forums.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { keyFor } from '../support/seed.ts';

/** Per-forum ingest limits and per-key dashboard limits: 429 with Retry-After, nothing queued. */
const LIMIT = 3;
let h: Harness;
let other: ForumSecrets;

beforeAll(async () => {
  h = await startHarness({
    config: { rateLimits: { ingest: { limit: LIMIT, windowMs: 60_000 }, apiKey: { limit: LIMIT, windowMs: 60_000 } } },
  });
  other = await createForum(h.ctx.database.db, { id: 'other-forum' }, { allowPrivate: true, actor: 'test' });
});
afterAll(() => h.close());

async function queued(): Promise<number> {
  const counts = await h.ctx.queues.moderate.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function expectRetryAfter(res: Response) {
  expect(res.status).toBe(429);
  const seconds = Number(res.headers.get('retry-after'));
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
}

describe('ingest, per forum', () => {
  it('answers 429 with Retry-After past the limit, queues nothing more, and leaves other forums alone', async () => {
    // Unsigned requests do not spend the forum's allowance: a stranger cannot block its posts.
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await h.app.request('/v1/forums/chronic-pain/posts', { method: 'POST', body: JSON.stringify(samplePost()) });
      expect(res.status).toBe(401);
    }
    for (let i = 0; i < LIMIT; i++) expect((await h.submit(samplePost())).status).toBe(202);
    const before = await queued();
    const over = await h.submit(samplePost());
    expectRetryAfter(over);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(await queued()).toBe(before);
    expect((await h.submit(samplePost(), { forumId: other.id, secret: other.ingest_secret })).status).toBe(202);
  });
});

describe('dashboard API, per key', () => {
  it('answers 429 with Retry-After past the limit, and leaves other keys alone', async () => {
    const { headers } = await keyFor(h.ctx, 'admin');
    for (let i = 0; i < LIMIT; i++) expect((await h.app.request('/v1/decisions', { headers })).status).toBe(200);
    expectRetryAfter(await h.app.request('/v1/decisions', { headers }));
    expectRetryAfter(await h.app.request('/v1/api-keys', { headers }));
    const another = await keyFor(h.ctx, 'admin');
    expect((await h.app.request('/v1/decisions', { headers: another.headers })).status).toBe(200);
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { forumHeaders } from '../support/sign.ts';

async function queued(h: Harness): Promise<number> {
  const counts = await h.ctx.queues.moderate.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; request_id: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.request_id).toBe(res.headers.get('x-request-id'));
}

describe('ingest refuses bad requests with a clear 4xx and queues nothing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const path = '/v1/forums/chronic-pain/posts';

  it('401 for unsigned, wrongly signed, tampered and stale requests', async () => {
    const body = JSON.stringify(samplePost());
    await expectError(await h.app.request(path, { method: 'POST', body }), 401, 'invalid_signature');
    await expectError(
      await h.app.request(path, { method: 'POST', body, headers: forumHeaders(h.forum.callback_secret, body) }),
      401,
      'invalid_signature',
    );
    const signed = forumHeaders(h.forum.ingest_secret, body);
    await expectError(
      await h.app.request(path, { method: 'POST', body: body.replace('gabapentin', 'pregabalin'), headers: signed }),
      401,
      'invalid_signature',
    );
    const old = new Date(Date.now() - 6 * 60_000);
    await expectError(await h.submit(samplePost(), { timestamp: old }), 401, 'invalid_signature');
    const future = new Date(Date.now() + 6 * 60_000);
    await expectError(await h.submit(samplePost(), { timestamp: future }), 401, 'invalid_signature');
    // Within the ±5 minute window is fine.
    expect((await h.submit(samplePost(), { timestamp: new Date(Date.now() - 4 * 60_000) })).status).toBe(202);
    expect(await queued(h)).toBe(1);
  });

  it('404 for an unknown forum', async () => {
    const before = await queued(h);
    await expectError(await h.submit(samplePost(), { forumId: 'no-such-forum' }), 404, 'forum_not_found');
    await expectError(await h.submit(samplePost(), { forumId: 'chronic%00pain' }), 404, 'forum_not_found');
    const verdict = await h.app.request('/v1/forums/chronic%00pain/posts/p1/verdict');
    expect(verdict.status).toBe(404);
    expect(await queued(h)).toBe(before);
  });

  it('400 for malformed JSON, missing, mistyped and unknown fields', async () => {
    const before = await queued(h);
    await expectError(await h.submit('{"id": "p1", "author": '), 400, 'invalid_json');
    await expectError(await h.submit('[]'), 400, 'validation_failed');
    await expectError(await h.submit({ author: { id: 'u1' }, body: 'hi' }), 400, 'validation_failed');
    await expectError(await h.submit({ id: 'p1', body: 'hi' }), 400, 'validation_failed');
    await expectError(await h.submit({ id: 'p1', author: { id: 'u1' } }), 400, 'validation_failed');
    await expectError(await h.submit({ id: 5, author: { id: 'u1' }, body: 'hi' }), 400, 'validation_failed');
    await expectError(await h.submit({ id: 'p1', author: { id: 'u1' }, body: '' }), 400, 'validation_failed');
    await expectError(await h.submit({ id: 'p1', author: { id: 'u1' }, body: 'hi', format: 'rtf' }), 400, 'validation_failed');
    await expectError(await h.submit({ id: 'p1', author: { id: 'u1' }, body: 'hi', created_at: 'yesterday' }), 400, 'validation_failed');
    await expectError(await h.submit({ id: 'p1', author: { id: 'u1' }, body: 'hi', flair: 'x' }), 400, 'validation_failed');
    await expectError(await h.submit({ id: 'p1', author: { id: 'u1', karma: 3 }, body: 'hi' }), 400, 'validation_failed');
    // PostgreSQL cannot store these; accepting them would mean a 202 and then no verdict ever.
    await expectError(await h.submit({ id: 'p1', author: { id: 'u1' }, body: 'hello\u0000 world' }), 400, 'validation_failed');
    await expectError(await h.submit('{"id":"p1","author":{"id":"u1"},"body":"half a pair \\ud835"}'), 400, 'validation_failed');
    await expectError(await h.submit({ id: 'p1', author: { id: 'u1' }, body: 'hi', metadata: { x: 'a\u0000' } }), 400, 'validation_failed');
    const res = await h.submit({ id: 'p1', author: { id: 'u1' }, body: 'hi', flair: 'x' });
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toContain('flair');
    expect(await queued(h)).toBe(before);
  });

  it('400 for a bad wait parameter', async () => {
    await expectError(await h.submit(samplePost(), { query: '?wait=soon' }), 400, 'validation_failed');
    await expectError(await h.submit(samplePost(), { query: '?wait=20000' }), 400, 'validation_failed');
  });

  it('413 for a body over 64 KiB, signed or not', async () => {
    const before = await queued(h);
    const big = JSON.stringify(samplePost('a'.repeat(70 * 1024)));
    await expectError(
      await h.app.request(path, { method: 'POST', body: big, headers: forumHeaders(h.forum.ingest_secret, big) }),
      413,
      'payload_too_large',
    );
    await expectError(await h.app.request(path, { method: 'POST', body: big }), 413, 'payload_too_large');
    expect(await queued(h)).toBe(before);
  });

  it('never answers 500 to arbitrary signed bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (body) => {
          const res = await h.app.request(path, { method: 'POST', body, headers: forumHeaders(h.forum.ingest_secret, body) });
          expect(res.status).toBeLessThan(500);
          const json = (await res.json()) as Record<string, unknown>;
          if (res.status >= 400) expect(json).toHaveProperty('error.code');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('unknown routes and methods get the JSON error shape', async () => {
    await expectError(await h.app.request('/v1/nothing-here'), 404, 'not_found');
  });
});

describe('ingest is idempotent', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('a retried webhook-id gets the original answer and queues nothing new', async () => {
    const post = samplePost();
    const first = await h.submit(post, { id: 'msg_retry_1' });
    expect(first.status).toBe(202);
    const again = await h.submit(post, { id: 'msg_retry_1' });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(await first.json());
    expect(await queued(h)).toBe(1);
  });

  it('a webhook-id reused for a different body is a 409', async () => {
    expect((await h.submit(samplePost(), { id: 'msg_reuse' })).status).toBe(202);
    const before = await queued(h);
    const res = await h.submit(samplePost('different words'), { id: 'msg_reuse' });
    await expectError(res, 409, 'conflict');
    expect(await queued(h)).toBe(before);
  });

  it('of two requests racing with one webhook-id and different bodies, exactly one is queued', async () => {
    const before = await queued(h);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.submit(samplePost(`racing body number ${i}`), { id: 'msg_race' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 409, 409, 409, 409, 409]);
    expect(await queued(h)).toBe(before + 1);
  });

  it('a webhook-id claimed by a request that died before queueing is queued by the retry', async () => {
    const post = samplePost('Claimed but never queued.');
    const first = await h.submit(post, { id: 'msg_orphan' });
    const { submission_id } = (await first.json()) as { submission_id: string };
    // As if that request had died between its claim and its queue add.
    await (await h.ctx.queues.moderate.getJob(submission_id))?.remove();
    expect(await h.ctx.queues.moderate.getJob(submission_id)).toBeUndefined();
    const retry = await h.submit(post, { id: 'msg_orphan' });
    expect(retry.status).toBe(202);
    expect(await h.ctx.queues.moderate.getJob(submission_id)).toBeDefined();
  });

  it('the same post and content sent anew answers the same submission id', async () => {
    const post = samplePost();
    const a = (await (await h.submit(post)).json()) as { submission_id: string };
    const before = await queued(h);
    const b = (await (await h.submit(post)).json()) as { submission_id: string };
    expect(b.submission_id).toBe(a.submission_id);
    expect(await queued(h)).toBe(before);
    const edited = (await (await h.submit({ ...post, body: `${post.body} (edited)` })).json()) as { submission_id: string };
    expect(edited.submission_id).not.toBe(a.submission_id);
    expect(await queued(h)).toBe(before + 1);
  });
});

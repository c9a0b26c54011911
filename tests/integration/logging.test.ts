import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErrorHandler } from '../../src/http/error-handler.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { queuesDrained } from '../support/queues.ts';
import { keyFor, seedDecision } from '../support/seed.ts';

describe('structured logs', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().trim().split('\n'));
      done();
    },
  });
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: true, receiver: true, log: createLogger('debug', {}, sink) });
  });
  afterAll(() => h.close());

  it('are JSON with request ids and never contain post text', async () => {
    const secret = 'Xylophone-Marmalade my neighbour Quentin Vasquez-Oduya';
    const post = samplePost(`You are a pathetic liar. ${secret}`, { title: 'Zebra-Title-Canary' });
    const res = await h.submit(post, { query: '?wait=10000' });
    expect(res.status).toBe(200);
    await h.submit({ ...post, extra: 'field' });
    await h.receiver.waitForCalls(1);
    // Every job has finished, so the workers have logged all they will about this post.
    await queuesDrained(h.ctx);

    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const request = parsed.find((l) => l.msg === 'request' && l.status === 200);
    expect(request).toMatchObject({ request_id: res.headers.get('x-request-id'), route: '/v1/forums/:forumId/posts', method: 'POST' });
    expect(parsed.some((l) => l.msg === 'decision stored' && l.post_id === post.id)).toBe(true);
    const all = lines.join('\n');
    expect(all).not.toContain('Xylophone');
    expect(all).not.toContain('Quentin');
    expect(all).not.toContain('Zebra-Title');
  });

  it('refuse a review note with NUL (400) and never write it to the log', async () => {
    const decision = await seedDecision(h.ctx, { action: 'review', flagged: [{ policy: 'hostility', score: 0.6 }] });
    const { headers } = await keyFor(h.ctx, 'moderator', ['chronic-pain']);
    const res = await h.app.request(`/v1/decisions/${decision.id}/reviews`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'override', action: 'allow', labels: [], note: 'Okapi-Lantern\u0000 note' }),
    });
    expect(res.status).toBe(400);
    const [row] = await h.ctx.database.sql`select count(*)::int as n from reviews where decision_id = ${decision.id}`;
    expect(row?.n).toBe(0);
    expect(lines.join('\n')).not.toContain('Okapi-Lantern');
  });

  it('describe a failed query by its code and message, never its parameters or stack', async () => {
    const own: string[] = [];
    const app = new Hono();
    app.onError(
      createErrorHandler(
        createLogger(
          'debug',
          {},
          new Writable({
            write(chunk, _enc, done) {
              own.push(chunk.toString());
              done();
            },
          }),
        ),
      ) as never,
    );
    app.get('/boom', () => {
      // How drizzle reports a refused insert: every bound value in the message and the stack.
      const pg = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
      throw Object.assign(new Error('Failed query: insert into reviews values ($1)\nparams: Okapi-Lantern'), {
        name: 'DrizzleQueryError',
        cause: pg,
      });
    });
    expect((await app.request('/boom')).status).toBe(500);
    const logged = own.join('');
    expect(logged).toContain('22021');
    expect(logged).not.toContain('Okapi-Lantern');
  });
});

import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { queuesDrained } from '../support/queues.ts';

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
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';

describe('operations endpoints', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: true, receiver: true });
  });
  afterAll(() => h.close());

  it('/healthz and /readyz', async () => {
    expect(await (await h.app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await h.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: 'ok', postgres: 'ok' } });
  });

  it('/metrics reports requests, queues, jobs, decisions and deliveries', async () => {
    await h.submit(samplePost('You are a pathetic liar.'), { query: '?wait=10000' });
    await h.receiver.waitForCalls(1);
    await h.app.request('/v1/forums/chronic-pain/posts', { method: 'POST', body: '{}' });
    const res = await h.app.request('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    // The attempt is counted just after the receiver answers; wait for that sample.
    const text = await eventually(
      async () => {
        const body = await (await h.app.request('/metrics')).text();
        return body.includes('hearth_delivery_attempts_total{outcome="succeeded"}') ? body : undefined;
      },
      5000,
      'the delivery metric',
    );
    expect(text).toMatch(/hearth_http_requests_total\{route="\/v1\/forums\/:forumId\/posts",method="POST",status="200"\} 1/);
    expect(text).toMatch(/hearth_http_requests_total\{route="\/v1\/forums\/:forumId\/posts",method="POST",status="401"\} 1/);
    expect(text).toMatch(/hearth_queue_jobs\{queue="moderate",state="completed"\} 1/);
    expect(text).toMatch(/hearth_queue_oldest_waiting_seconds\{queue="moderate"\} 0/);
    expect(text).toMatch(/hearth_job_duration_seconds_count\{queue="moderate",outcome="completed"\} 1/);
    expect(text).toMatch(/hearth_decisions_total\{action="(review|hold|remove)",urgent="false"\} 1/);
    expect(text).toMatch(/hearth_policy_flags_total\{policy="hostility"\} 1/);
    expect(text).toMatch(/hearth_delivery_attempts_total\{outcome="succeeded"\} 1/);
  });

  it('/openapi.json documents every route from the zod schemas, and /docs renders it', async () => {
    const doc = (await (await h.app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> } }
        >
      >;
      webhooks: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const ingest = doc.paths['/v1/forums/{forumId}/posts']?.post;
    const schema = ingest?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'author', 'thread_id', 'reply_to', 'title', 'body', 'format', 'created_at', 'metadata']),
    );
    expect(schema?.required).toEqual(expect.arrayContaining(['id', 'author', 'body']));
    expect(doc.paths['/v1/forums/{forumId}/posts/{postId}/verdict']?.get).toBeDefined();
    expect(doc.webhooks['verdict.created']).toBeDefined();
    const docs = await h.app.request('/docs');
    expect(docs.status).toBe(200);
    // The page loads its bootstrap from Hearth, which points the reference at /openapi.json (see api-docs.test.ts).
    expect(await docs.text()).toContain('/docs/assets/init.js');
    expect(await (await h.app.request('/docs/assets/init.js')).text()).toContain('/openapi.json');
  });
});

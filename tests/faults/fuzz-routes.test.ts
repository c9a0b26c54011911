import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { updateForum } from '../../src/forums/forums.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { keyFor, seedDecision } from '../support/seed.ts';
import { forumHeaders } from '../support/sign.ts';

/**
 * Property-based fuzzing of every route in /openapi.json (and some that are not): thousands of
 * generated bad requests (wrong types, huge and deep values, invalid UTF-8, wrong content
 * types, signature and timestamp edges, prototype keys). None may answer 5xx, and none may
 * queue a job or change a row. Prints its figures; `npm run test:faults`.
 */
let h: Harness;
const keys: Record<string, Record<string, string>> = {};
let decisionId = '';
const discourseSecret = 'discourse-secret-for-fuzzing';
const mastodonSecret = 'mastodon-secret-for-fuzzing';
const statuses = new Map<number, number>();
/** This test's 5xx answers (and accepted bad posts); `fivexx` counts them over the whole run. */
let failures: string[] = [];
let fivexx = 0;
let sent = 0;
let routes: Array<{ method: string; path: string }> = [];

beforeAll(async () => {
  // No rate limits: thousands of requests from one key must each reach the code under test.
  h = await startHarness({ config: { rateLimits: { ingest: { limit: 0 }, apiKey: { limit: 0 } } } });
  await updateForum(
    h.ctx.database.db,
    'chronic-pain',
    { integrations: { discourse: { secret: discourseSecret }, mastodon: { secret: mastodonSecret } } },
    { actor: 'test' },
  );
  h.ctx.forums.invalidate('chronic-pain');
  keys.admin = (await keyFor(h.ctx, 'admin')).headers;
  keys.moderator = (await keyFor(h.ctx, 'moderator', ['chronic-pain'])).headers;
  keys.auditor = (await keyFor(h.ctx, 'auditor', ['chronic-pain'])).headers;
  decisionId = (await seedDecision(h.ctx, { action: 'review', flagged: [{ policy: 'hostility', score: 0.6 }] })).id;
  const doc = (await (await h.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
});

afterAll(async () => {
  const byClass = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
  process.stdout.write(
    `fuzz figures: routes ${routes.length}, requests fuzzed ${sent}, 5xx seen ${fivexx}, statuses { ${byClass.join(', ')} }\n`,
  );
  await h?.close();
});

/** Everything that would show a request changed something. */
async function footprint() {
  const queued: number[] = [];
  for (const q of [
    h.ctx.queues.moderate,
    h.ctx.queues.moderateUrgent,
    h.ctx.queues.deliver,
    h.ctx.queues.deliverUrgent,
    h.ctx.queues.llm,
  ]) {
    const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    queued.push(Object.values(counts).reduce((a, b) => a + b, 0));
  }
  const [rows] = await h.ctx.database.sql`select
    (select count(*) from revisions)::int as revisions, (select count(*) from decisions)::int as decisions,
    (select count(*) from reviews)::int as reviews, (select count(*) from review_claims)::int as claims,
    (select count(*) from api_keys)::int as keys, (select count(*) from deliveries)::int as deliveries,
    (select count(*) from forums)::int as forums, (select count(*) from policy_sets)::int as policy_sets`;
  return { queued, rows };
}

async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: string | Uint8Array } = {}) {
  sent++;
  let res: Response;
  try {
    res = await h.app.request(path, {
      method,
      headers: init.headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : (init.body as BodyInit | undefined),
    });
  } catch (err) {
    // app.request itself refuses some URLs (a malformed one); that is the client's side, not the service.
    if (err instanceof TypeError) return 0;
    throw err;
  }
  await res.arrayBuffer();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  if (res.status >= 500) {
    fivexx++;
    failures.push(`${res.status} ${method} ${path.slice(0, 200)}`);
  }
  return res.status;
}

// Values an attacker tries: prototype keys, NUL, bad percent-encoding, long and odd text.
const nasty = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'prototype',
    '%00',
    'a%00b',
    '%',
    '%zz',
    '%ff%fe',
    '%c0%80',
    '%ed%a0%80',
    '..',
    '%2e%2e%2f',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:00:00-14:00',
    '-1',
    '1e309',
    'NaN',
    'true',
    '[]',
    '{}',
    'null',
    '',
  ),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))),
  fc.nat({ max: 5000 }).map((n) => 'x'.repeat(n)),
  fc.uuid(),
);

const deep = fc.integer({ min: 1, max: 6000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
const bodies = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  deep,
  fc.constantFrom(
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"outcome":"override","action":"allow","labels":["__proto__"]}',
    '{"role":"admin","forums":{"__proto__":[]}}',
    '{"outcome":"confirm","note":"\\u0000"}',
    '{"outcome":"confirm","note":"\\ud800"}',
    '{',
    '',
    'null',
    '[]',
    '1e999999',
  ),
  fc.nat({ max: 80_000 }).map((n) => JSON.stringify({ note: 'x'.repeat(n) })),
  fc.uint8Array({ maxLength: 300 }),
);
const contentTypes = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
);
const who = fc.constantFrom('none', 'admin', 'moderator', 'auditor', 'garbage', 'basic', 'empty-bearer');
const authHeaders = (w: string): Record<string, string> =>
  w === 'none'
    ? {}
    : w === 'garbage'
      ? { authorization: 'Bearer hk_not-a-key\u00ff' }
      : w === 'basic'
        ? { authorization: 'Basic Og==' }
        : w === 'empty-bearer'
          ? { authorization: 'Bearer ' }
          : (keys[w] ?? {});

/** A route's path with each parameter replaced: sometimes the seeded decision, mostly junk. */
const pathOf = (template: string, values: string[]) => {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, (name) => {
    const v = values[i++ % Math.max(1, values.length)] ?? '';
    if (name === '{id}' && v === 'seeded') return decisionId;
    if (name === '{forumId}' && v === 'seeded') return 'chronic-pain';
    return v;
  });
};

describe('every route, fuzzed', () => {
  beforeEach(() => {
    failures = [];
  });

  it('never answers 5xx and changes nothing, for thousands of bad requests to the documented routes', async () => {
    const before = await footprint();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(fc.oneof(nasty, fc.constant('seeded')), { minLength: 1, maxLength: 3 }),
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(
                'forum_id',
                'from',
                'to',
                'limit',
                'cursor',
                'wait',
                'type',
                'action',
                'policy',
                'min_score',
                'urgent',
                'reviewed',
                'subject_id',
              ),
              nasty,
            ),
            nasty,
          ),
          {
            maxLength: 4,
          },
        ),
        who,
        contentTypes,
        bodies,
        async (route, params, query, w, contentType, body) => {
          const qs = query.map(([k, v]) => `${k}=${v}`).join('&');
          // The seeded decision only for reads: a claim on it with a valid key is a good request, rightly obeyed.
          const ids = route.method === 'GET' ? params : params.map((p) => (p === 'seeded' ? 'x' : p));
          const path = `${pathOf(route.path, ids)}${qs ? `?${qs}` : ''}`;
          const headers = { ...authHeaders(w), ...(contentType ? { 'content-type': contentType } : {}) };
          await send(route.method, path, { headers, body });
        },
      ),
      { numRuns: 2500 },
    );
    expect(failures).toEqual([]);
    expect(await footprint()).toEqual(before);
  });

  it('never answers 5xx and queues nothing for signed ingest edges: timestamps, signatures, near-valid posts', async () => {
    const before = await footprint();
    const now = () => Math.floor(Date.now() / 1000);
    const brokenPost = fc.oneof(
      fc.constantFrom(
        { created_at: '0001-01-01T00:30:00+01:00' },
        { created_at: '9999-12-31T23:00:00-14:00' },
        { body: '' },
        { body: 'a\u0000b' },
        { body: '\ud800' },
        { body: 42 },
        { author: 'u-9' },
        { author: { id: '' } },
        { format: 'pdf' },
        { extra: 'field' },
        { metadata: [] },
        { metadata: { k: '\u0000' } },
        { id: '' },
        { id: 'x'.repeat(201) },
        { title: 'x'.repeat(1001) },
        { body: 'x'.repeat(60_001) },
      ),
      // Nested past the 32 levels metadata may have; built as text later (fast-check need not walk it).
      fc.integer({ min: 33, max: 5000 }).map((n) => ({ deepMetadata: n })),
    );
    await fc.assert(
      fc.asyncProperty(
        brokenPost,
        fc.constantFrom('valid', 'skewed', 'stale', 'future', 'nonnumeric', 'huge', 'wrong-secret', 'v2', 'empty', 'multi'),
        fc.boolean(),
        async (broken, signing, viaWait) => {
          const { deepMetadata, ...fields } = broken as Record<string, unknown>;
          const post = JSON.stringify({ ...samplePost(), ...fields });
          const body =
            typeof deepMetadata === 'number'
              ? post.replace(/}$/, `,"metadata":${'{"x":'.repeat(deepMetadata)}1${'}'.repeat(deepMetadata)}}`)
              : post;
          const headers = forumHeaders(signing === 'wrong-secret' ? h.forum.callback_secret : h.forum.ingest_secret, body);
          if (signing === 'skewed') headers['webhook-timestamp'] = String(now() - 299);
          if (signing === 'stale') headers['webhook-timestamp'] = String(now() - 301);
          if (signing === 'future') headers['webhook-timestamp'] = String(now() + 301);
          if (signing === 'nonnumeric') headers['webhook-timestamp'] = '1e3';
          if (signing === 'huge') headers['webhook-timestamp'] = '99999999999999999999999';
          if (signing === 'v2') headers['webhook-signature'] = (headers['webhook-signature'] ?? '').replace('v1,', 'v2,');
          if (signing === 'empty') headers['webhook-signature'] = '';
          if (signing === 'multi') headers['webhook-signature'] = `v1,AAAA ${'v1,'.repeat(200)}`;
          const status = await send('POST', `/v1/forums/chronic-pain/posts${viaWait ? '?wait=1' : ''}`, { headers, body });
          if (status < 300) failures.push(`${status} for a post that must be refused: ${signing} ${JSON.stringify(fields).slice(0, 120)}`);
        },
      ),
      { numRuns: 1500 },
    );
    expect(failures).toEqual([]);
    expect(await footprint()).toEqual(before);
  });

  it('never answers 5xx and queues nothing for engine webhooks with odd engines, events and bodies', async () => {
    const before = await footprint();
    const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('discourse', 'mastodon'), nasty),
        fc.oneof(fc.constant('chronic-pain'), nasty),
        fc.constantFrom('post_created', 'post_edited', 'ping', '__proto__', ''),
        fc.oneof(
          bodies,
          fc.constantFrom(
            JSON.stringify({ post: { id: 1, raw: 'x', username: 'u', created_at: '0001-01-01T00:30:00+01:00' } }),
            JSON.stringify({ post: { id: 'one', raw: 'x', username: 'u' } }),
            JSON.stringify({
              event: 'status.created',
              object: { id: '1', content: '<p>x</p>', created_at: '9999-12-31T23:00:00-14:00', account: { id: '1', username: 'u' } },
            }),
            JSON.stringify({
              event: 'status.created',
              object: { id: '1', content: '<p>x\u0000</p>', account: { id: '1', username: 'u' } },
            }),
            JSON.stringify({ event: 'status.created', object: null }),
          ),
        ),
        fc.boolean(),
        async (engine, forumId, event, body, signed) => {
          const text = typeof body === 'string' ? body : Buffer.from(body).toString('latin1');
          const headers: Record<string, string> = {
            'content-type': 'application/json',
            'x-discourse-event': event,
            'x-discourse-event-signature': signed ? sign(discourseSecret, text) : 'sha256=00',
            'x-hub-signature': signed ? sign(mastodonSecret, text) : 'sha256=00',
          };
          await send('POST', `/v1/hooks/${engine}/${forumId}`, { headers, body: text });
        },
      ),
      { numRuns: 1000 },
    );
    expect(failures).toEqual([]);
    expect(await footprint()).toEqual(before);
  });

  it('never answers 5xx to paths and methods no route has', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
        fc.array(nasty, { minLength: 1, maxLength: 5 }),
        who,
        async (method, segments, w) => {
          await send(method, `/${segments.join('/')}`, { headers: authHeaders(w), body: '{}' });
          await send(method, `/v1/${segments.join('/')}`, { headers: authHeaders(w), body: '{}' });
        },
      ),
      { numRuns: 500 },
    );
    expect(failures).toEqual([]);
  });
});

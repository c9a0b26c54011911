import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../../src/auth/api-keys.ts';
import { type ApiKeyRole, threadAlerts } from '../../../src/db/schema/index.ts';
import { createForum } from '../../../src/forums/forums.ts';
import { type Harness, startHarness } from '../../support/harness.ts';
import { keyFor, seedDecision } from '../../support/seed.ts';

/**
 * One security suite for every API-key route: no key, a malformed header, an unknown key, an
 * expired one, a revoked one, the wrong role, and a key for another forum. Each answer uses
 * the one error shape, and nothing changes.
 */

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, to check the table covers every route. */
  path: string;
  /** The concrete request, aimed at forum B's data. */
  url: () => string;
  body?: unknown;
  roles: ApiKeyRole[];
}

let h: Harness;
let forumB: { decisionId: string; deliveryId: string; keyId: string; threadAlertId: string };
const keys: Record<string, Record<string, string>> = {};

const allRoles: ApiKeyRole[] = ['admin', 'moderator', 'auditor'];
const reviewers: ApiKeyRole[] = ['admin', 'moderator'];
const routes: RouteCase[] = [
  { method: 'GET', path: '/v1/decisions', url: () => '/v1/decisions?forum_id=forum-b', roles: allRoles },
  { method: 'GET', path: '/v1/decisions/{id}', url: () => `/v1/decisions/${forumB.decisionId}`, roles: allRoles },
  { method: 'GET', path: '/v1/review-queue', url: () => '/v1/review-queue?forum_id=forum-b', roles: allRoles },
  { method: 'POST', path: '/v1/decisions/{id}/claim', url: () => `/v1/decisions/${forumB.decisionId}/claim`, roles: reviewers },
  { method: 'DELETE', path: '/v1/decisions/{id}/claim', url: () => `/v1/decisions/${forumB.decisionId}/claim`, roles: reviewers },
  {
    method: 'POST',
    path: '/v1/decisions/{id}/reviews',
    url: () => `/v1/decisions/${forumB.decisionId}/reviews`,
    body: { outcome: 'override', action: 'allow', labels: [] },
    roles: reviewers,
  },
  { method: 'GET', path: '/v1/audit-events', url: () => '/v1/audit-events?forum_id=forum-b', roles: allRoles },
  { method: 'GET', path: '/v1/audit-events/verify', url: () => '/v1/audit-events/verify?forum_id=forum-b', roles: allRoles },
  { method: 'GET', path: '/v1/audit-events/export', url: () => '/v1/audit-events/export?forum_id=forum-b', roles: allRoles },
  { method: 'GET', path: '/v1/audit-events/checkpoints', url: () => '/v1/audit-events/checkpoints?forum_id=forum-b', roles: allRoles },
  {
    method: 'POST',
    path: '/v1/audit-events/verify',
    url: () => '/v1/audit-events/verify',
    // Well formed, so it reaches the scope check; not signed by this Hearth, so it verifies as false.
    body: {
      type: 'audit.checkpoint',
      forum_id: 'forum-b',
      seq: 1,
      hash: '0'.repeat(64),
      created_at: '2026-01-01T00:00:00.000Z',
      key_id: '0'.repeat(16),
      signature: 'AAAA',
    },
    roles: allRoles,
  },
  { method: 'GET', path: '/v1/stats', url: () => '/v1/stats?forum_id=forum-b', roles: allRoles },
  {
    method: 'GET',
    path: '/v1/forums/{forumId}/posts/{postId}/verdict',
    url: () => '/v1/forums/forum-b/posts/b-post/verdict',
    // Auditors are refused here: the verdict's evidence is unmasked.
    roles: reviewers,
  },
  { method: 'GET', path: '/v1/api-keys', url: () => '/v1/api-keys', roles: ['admin'] },
  { method: 'POST', path: '/v1/api-keys', url: () => '/v1/api-keys', body: { role: 'admin' }, roles: ['admin'] },
  { method: 'DELETE', path: '/v1/api-keys/{id}', url: () => `/v1/api-keys/${forumB.keyId}`, roles: ['admin'] },
  { method: 'POST', path: '/v1/deliveries/{id}/redeliver', url: () => `/v1/deliveries/${forumB.deliveryId}/redeliver`, roles: ['admin'] },
  { method: 'GET', path: '/v1/forums/{forumId}/authors/{authorId}', url: () => '/v1/forums/forum-b/authors/u-1', roles: reviewers },
  { method: 'DELETE', path: '/v1/forums/{forumId}/authors/{authorId}', url: () => '/v1/forums/forum-b/authors/u-1', roles: ['admin'] },
  { method: 'GET', path: '/v1/forums/{forumId}/remedies', url: () => '/v1/forums/forum-b/remedies', roles: reviewers },
  {
    method: 'PATCH',
    path: '/v1/forums/{forumId}/remedies',
    url: () => '/v1/forums/forum-b/remedies',
    body: { redaction: { policies: ['privacy_leak'] } },
    roles: ['admin'],
  },
  { method: 'GET', path: '/v1/thread-alerts', url: () => '/v1/thread-alerts?forum_id=forum-b', roles: reviewers },
  {
    method: 'POST',
    path: '/v1/thread-alerts/{id}/resolve',
    url: () => `/v1/thread-alerts/${forumB.threadAlertId}/resolve`,
    body: {},
    roles: reviewers,
  },
];

beforeAll(async () => {
  h = await startHarness({ callbackUrl: 'http://127.0.0.1:9/unused' });
  await createForum(h.ctx.database.db, { id: 'forum-b', callbackUrl: 'http://127.0.0.1:9/unused' }, { allowPrivate: true, actor: 'test' });
  const decision = await seedDecision(h.ctx, {
    forumId: 'forum-b',
    postId: 'b-post',
    action: 'review',
    flagged: [{ policy: 'hostility', score: 0.6 }],
  });
  const [delivery] = await h.ctx.database.sql`select id from deliveries where decision_id = ${decision.id}`;
  const bKey = await keyFor(h.ctx, 'moderator', ['forum-b']);
  const [alert] = await h.ctx.database.db
    .insert(threadAlerts)
    .values({ forumId: 'forum-b', threadId: 'b-thread', reason: 'flagged_share', details: {}, decisionIds: [decision.id] })
    .returning();
  forumB = { decisionId: decision.id, deliveryId: String(delivery?.id), keyId: bKey.record.id, threadAlertId: String(alert?.id) };

  for (const role of ['moderator', 'auditor'] as const) keys[role] = (await keyFor(h.ctx, role, ['chronic-pain'])).headers;
  keys.expired = (await keyFor(h.ctx, 'admin', [], { expiresAt: new Date(Date.now() + 60_000) })).headers;
  await h.ctx.database
    .sql`update api_keys set expires_at = now() - interval '1 second' where key_hash = encode(sha256(${(keys.expired.authorization ?? '').slice(7)}::bytea), 'hex')`;
  const revoked = await keyFor(h.ctx, 'admin');
  await revokeApiKey(h.ctx.database.db, revoked.record.id);
  keys.revoked = revoked.headers;
  keys.unknown = { authorization: 'Bearer hk_this-key-was-never-issued' };
  keys.malformed = { authorization: 'Basic dXNlcjpwYXNz' };
});
afterAll(() => h.close());

async function send(route: RouteCase, headers: Record<string, string>) {
  const res = await h.app.request(route.url(), {
    method: route.method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: route.body === undefined ? undefined : JSON.stringify(route.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as { error?: { code: string; message: string; request_id: string } }) : {} };
}

async function stateOfForumB() {
  const [row] = await h.ctx.database.sql`select
    (select count(*) from reviews)::int as reviews, (select count(*) from review_claims)::int as claims,
    (select count(*) from api_keys where revoked_at is null)::int as live_keys, (select count(*) from deliveries)::int as deliveries,
    (select count(*) from thread_alerts where status = 'open')::int as open_alerts,
    (select remedies::text from forums where id = 'forum-b') as remedies, (select count(*) from posts where author_id = 'u-1')::int as authored`;
  return row;
}

describe('every API-key route', () => {
  it('is in this suite, and every suite route is in /openapi.json', async () => {
    const doc = (await (await h.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      // The forum-facing ingest routes are signed by the forum, not keyed: their own tests cover them.
      .filter((r) => r !== 'POST /v1/forums/{forumId}/posts' && r !== 'POST /v1/hooks/{engine}/{forumId}');
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
  });

  it('is documented with an example answer and the one error shape', async () => {
    type Schema = { $ref?: string; example?: unknown; properties?: Record<string, Schema>; items?: Schema };
    type Operation = { responses: Record<string, { content?: Record<string, { schema: Schema }> }> };
    const doc = (await (await h.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };
    const resolve = (schema: Schema): Schema => (schema.$ref ? (doc.components.schemas[schema.$ref.split('/').pop() ?? ''] ?? {}) : schema);
    // A page's or a list's example is its item's.
    const hasExample = (schema: Schema): boolean => {
      const s = resolve(schema);
      if (s.example !== undefined) return true;
      if (s.items) return hasExample(s.items);
      return s.properties?.items?.items !== undefined && hasExample(s.properties.items.items);
    };
    for (const route of routes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      if (!op) throw new Error(`${route.method} ${route.path} is not documented`);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      const json = success?.[1].content?.['application/json'];
      if (json) expect(hasExample(json.schema), `${route.method} ${route.path}`).toBe(true);
      for (const status of ['401', '404']) {
        expect(op.responses[status]?.content?.['application/json']?.schema.$ref, `${route.method} ${route.path} ${status}`).toBe(
          '#/components/schemas/Error',
        );
      }
    }
  });

  for (const route of routes) {
    describe(`${route.method} ${route.path}`, () => {
      it('answers 401 without a valid key, 403 for the wrong role, 404 for another forum, and changes nothing', async () => {
        const before = await stateOfForumB();
        for (const who of ['none', 'malformed', 'unknown', 'expired', 'revoked'] as const) {
          const res = await send(route, who === 'none' ? {} : (keys[who] ?? {}));
          expect(res.status, who).toBe(401);
          expect(res.body.error, who).toMatchObject({ code: 'unauthorized', message: expect.any(String), request_id: expect.any(String) });
        }
        for (const role of ['moderator', 'auditor'] as const) {
          const res = await send(route, keys[role] ?? {});
          // A key may not use the route (403), or may but only for its own forum (404).
          const expected = route.roles.includes(role) ? 404 : 403;
          expect(res.status, role).toBe(expected);
          expect(res.body.error?.code, role).toBe(expected === 403 ? 'forbidden' : 'not_found');
        }
        expect(await stateOfForumB()).toEqual(before);
      });
    });
  }
});

describe('a key of forum B on forum B’s own routes', () => {
  const own: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    for (const role of ['moderator', 'auditor'] as const) own[role] = (await keyFor(h.ctx, role, ['forum-b'])).headers;
  });

  // The other half of the 404s above: the same requests succeed for a key of the right forum,
  // so a 404 there is forum scope at work, not a route that answers 404 to everyone.
  for (const route of routes) {
    for (const role of (['moderator', 'auditor'] as const).filter((r) => route.roles.includes(r))) {
      it(`${route.method} ${route.path} answers 2xx to a forum-B ${role} key where a forum-A one gets 404`, async () => {
        // Read as text: the export answers JSON Lines.
        const request = (headers: Record<string, string>) =>
          h.app.request(route.url(), {
            method: route.method,
            headers: { ...headers, 'content-type': 'application/json' },
            body: route.body === undefined ? undefined : JSON.stringify(route.body),
          });
        const res = await request(own[role] ?? {});
        const text = await res.text();
        expect(res.status, text).toBeGreaterThanOrEqual(200);
        expect(res.status, text).toBeLessThan(300);
        const other = await request(keys[role] ?? {});
        await other.text();
        expect(other.status).toBe(404);
      });
    }
  }
});

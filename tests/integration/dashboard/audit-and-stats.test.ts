import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateForum } from '../../../src/forums/forums.ts';
import { purgeExpiredText } from '../../../src/privacy/purge-expired-text.ts';
import { callApi, type JsonBody } from '../../support/api.ts';
import { type Harness, startHarness } from '../../support/harness.ts';
import { keyFor, seedDecision } from '../../support/seed.ts';

let h: Harness;
let admin: Record<string, string>;
let moderator: Record<string, string>;

beforeAll(async () => {
  h = await startHarness({ callbackUrl: null });
  admin = (await keyFor(h.ctx, 'admin')).headers;
  moderator = (await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'alex' })).headers;
});
afterAll(() => h.close());

const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) => callApi(h.app, method, path, headers, body);

describe('audit events', () => {
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) await seedDecision(h.ctx, { postId: `a-${i}` });
  });

  it('lists events newest first with filters and a cursor', async () => {
    const res = await call('GET', '/v1/audit-events?forum_id=chronic-pain&limit=2', moderator);
    expect(res.status).toBe(200);
    const page = res.body as {
      items: Array<{ seq: number; type: string; hash: string; prev_hash: string }>;
      next_cursor: string;
    };
    expect(page.items).toHaveLength(2);
    expect(page.items[0]?.seq).toBeGreaterThan(page.items[1]?.seq ?? 0);
    expect(page.items[1]?.hash).toBe(page.items[0]?.prev_hash);
    const next = (await call('GET', `/v1/audit-events?forum_id=chronic-pain&limit=2&cursor=${page.next_cursor}`, moderator))
      .body as typeof page;
    expect(next.items[0]?.seq).toBe((page.items[1]?.seq ?? 0) - 1);
    const decided = (await call('GET', '/v1/audit-events?type=decided', moderator)).body as typeof page;
    expect(decided.items.every((e) => e.type === 'decided')).toBe(true);
    expect(decided.items.length).toBeGreaterThanOrEqual(3);
  });

  it('exports every matching event as JSON Lines, oldest first', async () => {
    const res = await h.app.request('/v1/audit-events/export?forum_id=chronic-pain', { headers: moderator });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const all = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number });
    // The closing line says the export is whole and how many events it holds.
    const lines = all.slice(0, -1);
    expect(all.at(-1)).toEqual({ export: 'complete', count: lines.length });
    expect(lines.map((e) => e.seq)).toEqual(lines.map((_, i) => i + 1));
  });

  it('ends an export cut short with an error line and an aborted body, never the closing line', async () => {
    const sql = h.ctx.database.sql;
    // More than one batch (1,000 events), so the export queries again while the client reads.
    await sql`insert into audit_events (forum_id, seq, type, actor, payload, prev_hash, hash, created_at)
      select 'bulk-forum', g, 'received', 'test', '{}'::jsonb, 'p', 'h', now() from generate_series(1, 1500) g`;
    const res = await h.app.request('/v1/audit-events/export?forum_id=bulk-forum', { headers: admin });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    // The database goes away under the export (here: its table does, for the next batch).
    await sql`alter table audit_events rename to audit_events_away`;
    let text = new TextDecoder().decode(first.value);
    let aborted = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } catch {
      aborted = true;
    } finally {
      await sql`alter table audit_events_away rename to audit_events`;
    }
    expect(aborted).toBe(true);
    const lines = text.trim().split('\n');
    expect(lines.length).toBeLessThan(1502);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ error: { code: 'unavailable' } });
    expect(text).not.toContain('"export":"complete"');
  });

  it('verifies the chain, and finds a row tampered with in SQL', async () => {
    const ok = (await call('GET', '/v1/audit-events/verify?forum_id=chronic-pain', moderator)).body;
    expect(ok).toMatchObject({ forum_id: 'chronic-pain', ok: true, first_broken: null });
    const sql = h.ctx.database.sql;
    const [original] = await sql`select payload from audit_events where forum_id = 'chronic-pain' and seq = 4`;
    const rewrite = (payload: unknown) =>
      sql.begin(async (tx) => {
        await tx`alter table audit_events disable trigger audit_events_append_only`;
        await tx`update audit_events set payload = ${JSON.stringify(payload)}::jsonb where forum_id = 'chronic-pain' and seq = 4`;
        await tx`alter table audit_events enable trigger audit_events_append_only`;
      });
    await rewrite({ ...original?.payload, post_id: 'someone-else' });
    const broken = (await call('GET', '/v1/audit-events/verify?forum_id=chronic-pain', admin)).body as {
      ok: boolean;
      first_broken: { seq: number; reason: string };
    };
    expect(broken.ok).toBe(false);
    expect(broken.first_broken).toMatchObject({ seq: 4, reason: 'hash does not match the event contents' });
    // Put it back so later tests see an intact chain.
    await rewrite(original?.payload);
    expect(((await call('GET', '/v1/audit-events/verify?forum_id=chronic-pain', admin)).body as { ok: boolean }).ok).toBe(true);
  });

  it('is 404 for a forum outside the key, 400 without a forum to verify', async () => {
    expect((await call('GET', '/v1/audit-events?forum_id=other-forum', moderator)).status).toBe(404);
    expect((await call('GET', '/v1/audit-events/verify?forum_id=other-forum', moderator)).status).toBe(404);
    expect((await call('GET', '/v1/audit-events/export?forum_id=other-forum', moderator)).status).toBe(404);
    expect((await call('GET', '/v1/audit-events/verify', moderator)).status).toBe(400);
    expect((await call('GET', '/v1/audit-events?type=deleted', moderator)).status).toBe(400);
    // An empty forum is refused before an export starts streaming (it once failed mid-stream).
    expect((await call('GET', '/v1/audit-events/export?forum_id=', moderator)).status).toBe(400);
    expect((await call('GET', '/v1/audit-events?forum_id=', moderator)).status).toBe(400);
  });
});

describe('retention', () => {
  it('purges old post text, keeps decisions, scores and hashes, and the chain still verifies', async () => {
    const body = 'My neighbour Jo Park (07700 900123) told everyone about my diagnosis.';
    const old = await seedDecision(h.ctx, {
      postId: 'old-post',
      body,
      action: 'hold',
      receivedAt: new Date(Date.now() - 40 * 86_400_000),
      flagged: [{ policy: 'privacy_leak', score: 0.9, evidence: [{ start: 13, end: 20 }] }],
    });
    const recent = await seedDecision(h.ctx, { postId: 'new-post', body: 'Fresh post, kept.' });
    // As if the LLM had judged it too, quoting the post.
    const llm = {
      status: 'judged',
      judgements: [
        {
          policy: 'privacy_leak',
          flagged: true,
          confidence: 0.9,
          rationale: 'names Jo Park',
          evidence: [{ start: 13, end: 20, text: 'Jo Park' }],
        },
      ],
    };
    await h.ctx.database.sql`update decisions set llm = ${JSON.stringify(llm)}::jsonb,
      policies = jsonb_set(policies, '{3,rationale}', '"says Jo Park lives next door (LLM)"'::jsonb) where id = ${old.id}`;
    await updateForum(h.ctx.database.db, 'chronic-pain', { retentionDays: 30 }, { actor: 'test' });

    const purged = await purgeExpiredText(h.ctx.database.db);
    expect(purged).toEqual([expect.objectContaining({ forum_id: 'chronic-pain', revisions: 1 })]);
    expect(await purgeExpiredText(h.ctx.database.db)).toEqual([]);

    const detail = (await call('GET', `/v1/decisions/${old.id}`, moderator)).body as JsonBody;
    expect(detail.post).toMatchObject({ body: null, title: null, purged_at: expect.any(String), content_hash: expect.any(String) });
    expect(detail.action).toBe('hold');
    const privacy = detail.policies.find((p: { policy: string }) => p.policy === 'privacy_leak');
    expect(privacy).toMatchObject({ score: 0.9, flagged: true, evidence: [{ start: 13, end: 20, text: '' }] });
    expect(JSON.stringify(detail)).not.toContain('Jo Park');
    expect(detail.llm.judgements[0]).toMatchObject({
      flagged: true,
      confidence: 0.9,
      rationale: '',
      evidence: [{ start: 13, end: 20, text: '' }],
    });
    const [row] = await h.ctx.database.sql`select count(*)::int as n from deliveries where payload::text like '%Jo Park%'`;
    expect(row?.n).toBe(0);
    const fresh = (await call('GET', `/v1/decisions/${recent.id}`, moderator)).body as JsonBody;
    expect(fresh.post.body).toBe('Fresh post, kept.');

    const verify = (await call('GET', '/v1/audit-events/verify?forum_id=chronic-pain', admin)).body as { ok: boolean };
    expect(verify.ok).toBe(true);
    const events = (await call('GET', '/v1/audit-events?type=text_purged', admin)).body as {
      items: Array<{ payload: Record<string, unknown> }>;
    };
    expect(events.items[0]?.payload).toMatchObject({ revisions: 1, retention_days: 30 });
  });
});

describe('GET /v1/stats', () => {
  it('reports volume, actions, flags, backlog, agreement and latencies', async () => {
    await h.ctx.database.sql`delete from review_claims`;
    const forum = 'stats-forum';
    await h.ctx.database
      .sql`insert into forums (id, name, ingest_secret, callback_secret) values (${forum}, ${forum}, 'whsec_x', 'whsec_y')`;
    const statsKey = (await keyFor(h.ctx, 'moderator', [forum], { name: 'kim' })).headers;
    // Two posts waited ten seconds for their verdict, two none at all.
    const tenSecondsAgo = new Date(Date.now() - 10_000);
    const a = await seedDecision(h.ctx, {
      forumId: forum,
      action: 'review',
      flagged: [{ policy: 'hostility', score: 0.6 }],
      receivedAt: tenSecondsAgo,
    });
    const b = await seedDecision(h.ctx, {
      forumId: forum,
      action: 'hold',
      flagged: [{ policy: 'hostility', score: 0.9 }],
      receivedAt: tenSecondsAgo,
    });
    await seedDecision(h.ctx, { forumId: forum, action: 'review', urgent: true, flagged: [{ policy: 'self_harm', score: 0.7 }] });
    await seedDecision(h.ctx, { forumId: forum });
    await call('POST', `/v1/decisions/${a.id}/reviews`, statsKey, { outcome: 'confirm', labels: ['hostility'] });
    await call('POST', `/v1/decisions/${b.id}/reviews`, statsKey, { outcome: 'override', action: 'allow', labels: [] });

    const res = await call('GET', `/v1/stats?forum_id=${forum}`, statsKey);
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.volume).toEqual({ decisions: 4, posts: 4, urgent: 1 });
    expect(s.actions).toEqual({ allow: 1, review: 2, redact: 0, hold: 1, remove: 0 });
    expect(s.flags).toMatchObject({ hostility: 2, self_harm: 1, misinformation: 0 });
    expect(s.review_backlog.count).toBe(1);
    expect(s.review_backlog.oldest_age_seconds).toBeGreaterThanOrEqual(0);
    expect(s.agreement.hostility).toEqual({ reviewed: 2, confirmed: 1, overridden: 1, rate: 0.5 });
    expect(s.agreement.privacy_leak).toEqual({ reviewed: 0, confirmed: 0, overridden: 0, rate: null });
    // Continuous percentiles of [~0, ~0, ~10000, ~10000]: the median falls halfway.
    expect(s.latency_ms.post_to_verdict.median).toBeGreaterThan(4_500);
    expect(s.latency_ms.post_to_verdict.median).toBeLessThan(6_500);
    expect(s.latency_ms.post_to_verdict.p95).toBeGreaterThan(9_500);
    expect(s.latency_ms.verdict_to_review.median).toBeGreaterThanOrEqual(0);

    const empty = (await call('GET', `/v1/stats?forum_id=${forum}&to=2020-01-01T00:00:00Z`, statsKey)).body;
    expect(empty.volume.decisions).toBe(0);
    expect(empty.latency_ms.post_to_verdict).toEqual({ median: null, p95: null });
    expect((await call('GET', '/v1/stats?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', statsKey)).status).toBe(400);
    expect((await call('GET', '/v1/stats?forum_id=chronic-pain', statsKey)).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForum } from '../../../src/forums/forums.ts';
import { callApi, type JsonBody } from '../../support/api.ts';
import { type Harness, startHarness } from '../../support/harness.ts';
import { keyFor, seedDecision } from '../../support/seed.ts';

let h: Harness;
let admin: Record<string, string>;
let moderator: Record<string, string>;
let auditor: Record<string, string>;

beforeAll(async () => {
  h = await startHarness({ callbackUrl: null });
  await createForum(h.ctx.database.db, { id: 'other-forum' }, { allowPrivate: true, actor: 'test' });
  admin = (await keyFor(h.ctx, 'admin')).headers;
  moderator = (await keyFor(h.ctx, 'moderator', ['chronic-pain'])).headers;
  auditor = (await keyFor(h.ctx, 'auditor', ['chronic-pain'])).headers;
});
afterAll(() => h.close());

const get = (path: string, headers: Record<string, string>) => callApi(h.app, 'GET', path, headers);

describe('GET /v1/decisions', () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    const allow = await seedDecision(h.ctx, { postId: 'p-allow' });
    const review = await seedDecision(h.ctx, { postId: 'p-review', action: 'review', flagged: [{ policy: 'hostility', score: 0.62 }] });
    const urgent = await seedDecision(h.ctx, {
      postId: 'p-urgent',
      action: 'hold',
      urgent: true,
      flagged: [{ policy: 'self_harm', score: 0.91 }],
    });
    const elsewhere = await seedDecision(h.ctx, {
      forumId: 'other-forum',
      postId: 'p-other',
      action: 'remove',
      flagged: [{ policy: 'hostility', score: 0.99 }],
    });
    ids = { allow: allow.id, review: review.id, urgent: urgent.id, elsewhere: elsewhere.id };
  });

  it('lists newest first, across the forums the key may see', async () => {
    const all = await get('/v1/decisions', admin);
    expect(all.status).toBe(200);
    expect(all.body.items.map((d: { id: string }) => d.id)).toEqual([ids.elsewhere, ids.urgent, ids.review, ids.allow]);
    const mine = await get('/v1/decisions', moderator);
    expect(mine.body.items.map((d: { id: string }) => d.id)).toEqual([ids.urgent, ids.review, ids.allow]);
    expect(mine.body.items[0]).toMatchObject({
      forum_id: 'chronic-pain',
      post_id: 'p-urgent',
      action: 'hold',
      urgent: true,
      flagged: [{ policy: 'self_harm', score: 0.91 }],
      review: null,
    });
  });

  it('filters by forum, action, policy, urgency, score and time', async () => {
    const idsOf = async (query: string) => (await get(`/v1/decisions?${query}`, admin)).body.items.map((d: { id: string }) => d.id);
    expect(await idsOf('forum_id=other-forum')).toEqual([ids.elsewhere]);
    expect(await idsOf('action=review')).toEqual([ids.review]);
    expect(await idsOf('policy=hostility')).toEqual([ids.elsewhere, ids.review]);
    expect(await idsOf('policy=hostility&min_score=0.9')).toEqual([ids.elsewhere]);
    expect(await idsOf('min_score=0.9')).toEqual([ids.elsewhere, ids.urgent]);
    expect(await idsOf('urgent=true')).toEqual([ids.urgent]);
    expect(await idsOf('urgent=false&forum_id=chronic-pain')).toEqual([ids.review, ids.allow]);
    expect(await idsOf('reviewed=true')).toEqual([]);
    expect(await idsOf(`to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).toEqual([]);
    expect((await idsOf(`from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).length).toBe(4);
  });

  it('answers 404 for a forum outside the key and 400 for a bad filter, in the one error shape', async () => {
    const outside = await get('/v1/decisions?forum_id=other-forum', moderator);
    expect(outside.status).toBe(404);
    expect(outside.body.error).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
    for (const query of [
      'action=delete',
      'policy=rudeness',
      'urgent=yes',
      'min_score=2',
      'limit=0',
      'limit=201',
      'from=yesterday',
      'cursor=bm9wZQ',
    ]) {
      const bad = await get(`/v1/decisions?${query}`, admin);
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.code, query).toBe('validation_failed');
    }
  });
});

describe('pagination', () => {
  it('stays stable while new decisions arrive: no row twice, none skipped', async () => {
    const forumId = 'paging';
    await createForum(h.ctx.database.db, { id: forumId }, { allowPrivate: true, actor: 'test' });
    const before: string[] = [];
    for (let i = 0; i < 25; i++) before.push((await seedDecision(h.ctx, { forumId, postId: `page-${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let arrivals = 0;
    do {
      const page: { body: JsonBody } = await get(`/v1/decisions?forum_id=${forumId}&limit=7${cursor ? `&cursor=${cursor}` : ''}`, admin);
      seen.push(...page.body.items.map((d: { id: string }) => d.id));
      cursor = page.body.next_cursor;
      // New posts keep arriving between pages, several at once.
      await Promise.all([0, 1, 2].map(() => seedDecision(h.ctx, { forumId, postId: `late-${arrivals++}` })));
    } while (cursor);
    expect(seen).toEqual([...before].reverse());
  });
});

describe('GET /v1/decisions/{id}', () => {
  const body = 'Ring Dana on 0412 555 019 or mail dana.w@example.org, she lives at 14 Kestrel Way.';
  let id: string;
  beforeAll(async () => {
    const phone = body.indexOf('0412');
    id = (
      await seedDecision(h.ctx, {
        postId: 'p-contact',
        body,
        action: 'hold',
        flagged: [{ policy: 'privacy_leak', score: 0.9, evidence: [{ start: phone, end: phone + 12 }] }],
      })
    ).id;
  });

  it('shows a moderator the post, scores, evidence, scorers, version, deliveries and the audit trail', async () => {
    const { status, body: d } = await get(`/v1/decisions/${id}`, moderator);
    expect(status).toBe(200);
    expect(d).toMatchObject({
      id,
      post_id: 'p-contact',
      action: 'hold',
      scorers: ['local-rules'],
      policy_set_version: h.ctx.policySet.version,
    });
    expect(d.post).toMatchObject({ body, author: { id: 'u-1', name: 'Robin' }, masked: false, purged_at: null });
    const privacy = d.policies.find((p: { policy: string }) => p.policy === 'privacy_leak');
    expect(privacy.evidence).toEqual([{ start: body.indexOf('0412'), end: body.indexOf('0412') + 12, text: '0412 555 019' }]);
    expect(d.deliveries).toEqual([]);
    expect(d.audit_trail.map((e: { type: string }) => e.type)).toEqual(['received', 'decided']);
    expect(d.audit_trail[1].subject_id).toBe(id);
  });

  it('masks e-mails, phone numbers and addresses for an auditor, keeping offsets', async () => {
    const { body: d } = await get(`/v1/decisions/${id}`, auditor);
    expect(d.post.masked).toBe(true);
    expect(d.post.body).toHaveLength(body.length);
    expect(d.post.body).not.toContain('0412');
    expect(d.post.body).not.toContain('dana.w@example.org');
    expect(d.post.body).not.toContain('14 Kestrel Way');
    expect(d.post.body.startsWith('Ring Dana on •••• ••• ••• or mail ')).toBe(true);
    const privacy = d.policies.find((p: { policy: string }) => p.policy === 'privacy_leak');
    expect(privacy.evidence[0].text).toBe('•••• ••• •••');
  });

  it('masks rationales and the LLM’s quotes for an auditor too', async () => {
    const phone = body.indexOf('0412');
    const llm = {
      status: 'judged',
      judgements: [
        {
          policy: 'privacy_leak',
          flagged: true,
          confidence: 0.9,
          rationale: 'posts 0412 555 019, a third party number',
          evidence: [{ start: phone, end: phone + 8, text: '0412 555' }],
        },
      ],
    };
    const rationale = JSON.stringify('wording typical of privacy leaks ("0412 555 019")');
    // privacy_leak is the fourth policy of every decision.
    await h.ctx.database
      .sql`update decisions set llm = ${JSON.stringify(llm)}::jsonb, policies = jsonb_set(policies, '{3,rationale}', ${rationale}::jsonb) where id = ${id}`;
    const { body: d } = await get(`/v1/decisions/${id}`, auditor);
    expect(JSON.stringify(d)).not.toContain('0412');
    expect(d.llm.judgements[0].evidence[0]).toEqual({ start: phone, end: phone + 8, text: '•••• •••' });
    const { body: m } = await get(`/v1/decisions/${id}`, moderator);
    expect(JSON.stringify(m)).toContain('0412 555 019');
  });

  it('masks, for an auditor, contacts disguised as the scorer undoes them, and moderators’ review notes, in the decision and the audit log', async () => {
    const disguised =
      'Her mobile is 0412\u200b555\u200b019, or ring \uff10\uff14\uff11\uff12 \uff15\uff15\uff15 \uff10\uff11\uff19, mail jane.doe@exam\u200bple.com or j\u0430ne@ex\u0430mple.com';
    const seeded = await seedDecision(h.ctx, {
      postId: 'p-disguised',
      body: disguised,
      action: 'hold',
      flagged: [{ policy: 'privacy_leak', score: 0.9 }],
    });
    const note = 'Removed: she posted Jane’s number 0412 555 019 and jane.doe@example.com';
    const reviewed = await callApi(h.app, 'POST', `/v1/decisions/${seeded.id}/reviews`, moderator, {
      outcome: 'confirm',
      labels: [],
      note,
    });
    expect(reviewed.status).toBeLessThan(300);

    const { body: d } = await get(`/v1/decisions/${seeded.id}`, auditor);
    expect(d.post.body).toHaveLength(disguised.length);
    for (const shown of [d.post.body, d.reviews[0].note]) {
      expect(shown).not.toMatch(/555|\uff15\uff15\uff15|exam|ex\u0430mple/);
    }
    const audit = await get('/v1/audit-events?forum_id=chronic-pain&type=reviewed', auditor);
    const event = audit.body.items.find((e: JsonBody) => e.payload.decision_id === seeded.id);
    // The append-only chain keeps only the note's hash, which an erasure need not reach.
    expect(event.payload.note).toBeUndefined();
    expect(event.payload.note_sha256).toMatch(/^[0-9a-f]{64}$/);
    const trail = d.audit_trail.find((e: JsonBody) => e.type === 'reviewed');
    expect(trail.payload.note).toBeUndefined();
    const exported = await h.app.request('/v1/audit-events/export?forum_id=chronic-pain&type=reviewed', { headers: auditor });
    const text = await exported.text();
    expect(text).toContain(event.payload.note_sha256);
    expect(text).not.toMatch(/0412 555 019|jane\.doe@example|Removed: she posted/);
    // Moderators read what was written; the hashes an auditor checks are never masked.
    const { body: m } = await get(`/v1/decisions/${seeded.id}`, moderator);
    expect(m.reviews[0].note).toBe(note);
    expect(m.post.body).toBe(disguised);
    expect(event.hash).toBe((await get('/v1/audit-events?forum_id=chronic-pain&type=reviewed', moderator)).body.items[0].hash);
  });

  it('is 404 for another forum and for an unknown id, 400 for a malformed one', async () => {
    const other = await seedDecision(h.ctx, { forumId: 'other-forum' });
    expect((await get(`/v1/decisions/${other.id}`, moderator)).status).toBe(404);
    expect((await get('/v1/decisions/00000000-0000-4000-8000-000000000000', admin)).status).toBe(404);
    expect((await get('/v1/decisions/not-a-uuid', admin)).status).toBe(400);
  });
});

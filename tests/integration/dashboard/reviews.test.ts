import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/audit/audit-log.ts';
import { createForum } from '../../../src/forums/forums.ts';
import { callApi } from '../../support/api.ts';
import { eventually } from '../../support/eventually.ts';
import { type Harness, startHarness } from '../../support/harness.ts';
import { keyFor, seedDecision } from '../../support/seed.ts';

let h: Harness;
let alex: { headers: Record<string, string>; record: { id: string } };
let sam: { headers: Record<string, string> };
let auditor: Record<string, string>;

beforeAll(async () => {
  h = await startHarness({ workers: true, receiver: true });
  alex = await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'alex' });
  sam = await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'sam' });
  auditor = (await keyFor(h.ctx, 'auditor', ['chronic-pain'])).headers;
  await createForum(h.ctx.database.db, { id: 'other-forum' }, { allowPrivate: true, actor: 'test' });
});
afterAll(() => h.close());

const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) => callApi(h.app, method, path, headers, body);

describe('the review queue', () => {
  it('lists what awaits a moderator: urgent first, then oldest; not allowed, reviewed or superseded decisions', async () => {
    const oldReview = await seedDecision(h.ctx, { postId: 'q-1', action: 'review', flagged: [{ policy: 'misinformation', score: 0.6 }] });
    await seedDecision(h.ctx, { postId: 'q-allowed', action: 'allow' });
    const held = await seedDecision(h.ctx, { postId: 'q-2', action: 'hold', flagged: [{ policy: 'hostility', score: 0.85 }] });
    const urgent = await seedDecision(h.ctx, {
      postId: 'q-3',
      action: 'review',
      urgent: true,
      flagged: [{ policy: 'self_harm', score: 0.7 }],
    });
    // An edit of q-2 that is fine now: the older decision no longer waits.
    await seedDecision(h.ctx, { postId: 'q-2', body: 'Edited: sorry, that was out of line.', action: 'allow' });
    await seedDecision(h.ctx, { forumId: 'other-forum', postId: 'q-other', action: 'review' });

    const queue = await call('GET', '/v1/review-queue?forum_id=chronic-pain', alex.headers);
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((d: { id: string }) => d.id)).toEqual([urgent.id, oldReview.id]);
    expect(held.id).toBeDefined();

    const paged = await call('GET', '/v1/review-queue?limit=1', alex.headers);
    expect(paged.body.items.map((d: { id: string }) => d.id)).toEqual([urgent.id]);
    const next = await call('GET', `/v1/review-queue?limit=1&cursor=${paged.body.next_cursor}`, alex.headers);
    expect(next.body.items.map((d: { id: string }) => d.id)).toEqual([oldReview.id]);
    expect(next.body.next_cursor).toBeNull();
  });
});

describe('claims', () => {
  it('keeps two moderators off one post, and hides it from the other’s queue', async () => {
    const d = await seedDecision(h.ctx, { postId: 'c-1', action: 'review', flagged: [{ policy: 'hostility', score: 0.6 }] });
    const first = await call('POST', `/v1/decisions/${d.id}/claim`, alex.headers);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ decision_id: d.id, claimed_by: 'alex' });
    expect(new Date(first.body.expires_at).getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);

    const second = await call('POST', `/v1/decisions/${d.id}/claim`, sam.headers);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'conflict', details: { claimed_by: 'alex' } });
    const samReview = await call('POST', `/v1/decisions/${d.id}/reviews`, sam.headers, { outcome: 'confirm', labels: ['hostility'] });
    expect(samReview.status).toBe(409);

    const samQueue = await call('GET', '/v1/review-queue', sam.headers);
    expect(samQueue.body.items.map((i: { id: string }) => i.id)).not.toContain(d.id);
    const withClaimed = await call('GET', '/v1/review-queue?include_claimed=true', sam.headers);
    expect(withClaimed.body.items.find((i: { id: string }) => i.id === d.id).claim).toMatchObject({ claimed_by: 'alex', mine: false });
    const alexQueue = await call('GET', '/v1/review-queue', alex.headers);
    expect(alexQueue.body.items.find((i: { id: string }) => i.id === d.id).claim).toMatchObject({ mine: true });

    // Claiming again extends one's own claim; releasing lets the other in.
    expect((await call('POST', `/v1/decisions/${d.id}/claim`, alex.headers)).status).toBe(200);
    expect((await call('DELETE', `/v1/decisions/${d.id}/claim`, alex.headers)).status).toBe(204);
    expect((await call('POST', `/v1/decisions/${d.id}/claim`, sam.headers)).status).toBe(200);
  });

  it('lets a claim lapse', async () => {
    const d = await seedDecision(h.ctx, { postId: 'c-2', action: 'review' });
    await call('POST', `/v1/decisions/${d.id}/claim`, alex.headers);
    await h.ctx.database.sql`update review_claims set expires_at = now() - interval '1 second' where decision_id = ${d.id}`;
    expect((await call('POST', `/v1/decisions/${d.id}/claim`, sam.headers)).status).toBe(200);
  });

  it('is not for auditors', async () => {
    const d = await seedDecision(h.ctx, { postId: 'c-3', action: 'review' });
    const res = await call('POST', `/v1/decisions/${d.id}/claim`, auditor);
    expect(res.status).toBe(403);
  });
});

describe('reviews', () => {
  it('records a confirm with who, when and why, as an audit event, and takes it off the queue', async () => {
    const d = await seedDecision(h.ctx, { postId: 'r-1', action: 'review', flagged: [{ policy: 'unsafe_medical_advice', score: 0.66 }] });
    const res = await call('POST', `/v1/decisions/${d.id}/reviews`, alex.headers, {
      outcome: 'confirm',
      labels: ['unsafe_medical_advice'],
      note: 'Telling someone to double their dose.',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      review: {
        outcome: 'confirm',
        action: 'review',
        labels: ['unsafe_medical_advice'],
        note: 'Telling someone to double their dose.',
        reviewer: 'alex',
      },
      delivery_id: null,
    });
    const queue = await call('GET', '/v1/review-queue?include_claimed=true', alex.headers);
    expect(queue.body.items.map((i: { id: string }) => i.id)).not.toContain(d.id);

    const detail = await call('GET', `/v1/decisions/${d.id}`, auditor);
    expect(detail.body.review).toMatchObject({ outcome: 'confirm', reviewer: 'alex' });
    // Lists show the newest review too (a query on decisions alone once lost it).
    const listed = await call('GET', '/v1/decisions?forum_id=chronic-pain&reviewed=true', auditor);
    expect(listed.body.items.find((i: { id: string }) => i.id === d.id)?.review).toMatchObject({
      outcome: 'confirm',
      action: 'review',
      previous_action: 'review',
      reviewer: 'alex',
    });
    expect(detail.body.reviews).toHaveLength(1);
    const event = detail.body.audit_trail.find((e: { type: string }) => e.type === 'reviewed');
    expect(event).toMatchObject({
      actor: `key:${alex.record.id}`,
      payload: {
        outcome: 'confirm',
        labels: ['unsafe_medical_advice'],
        reviewer: 'alex',
        note_sha256: createHash('sha256').update('Telling someone to double their dose.').digest('hex'),
      },
    });
    expect((await verifyAuditChain(h.ctx.database.db, 'chronic-pain')).ok).toBe(true);
  });

  it('sends the forum a signed verdict.updated on an override', async () => {
    const d = await seedDecision(h.ctx, { postId: 'r-2', action: 'hold', flagged: [{ policy: 'unsafe_medical_advice', score: 0.84 }] });
    const created = await eventually(
      () => h.receiver.calls.find((c) => JSON.parse(c.body).data.decision_id === d.id),
      15_000,
      'verdict.created',
    );
    expect(JSON.parse(created.body).type).toBe('verdict.created');
    const res = await call('POST', `/v1/decisions/${d.id}/reviews`, sam.headers, {
      outcome: 'override',
      action: 'allow',
      labels: [],
      note: 'Her own taper, agreed with her GP.',
    });
    expect(res.status).toBe(201);
    expect(res.body.delivery_id).toEqual(expect.any(String));
    const update = await eventually(
      () => h.receiver.calls.find((c) => JSON.parse(c.body).type === 'verdict.updated'),
      15_000,
      'verdict.updated',
    );
    expect(JSON.parse(update.body).data).toMatchObject({
      decision_id: d.id,
      post_id: 'r-2',
      action: 'allow',
      previous_action: 'hold',
      review: { outcome: 'override', labels: [], reviewer: 'sam' },
    });
    expect(() => new Webhook(h.forum.callback_secret).verify(update.body, h.receiver.headersOf(update))).not.toThrow();
    expect(update.headers['webhook-id']).not.toBe(created.headers['webhook-id']);
    const detail = await call('GET', `/v1/decisions/${d.id}`, auditor);
    expect(detail.body.deliveries.map((x: { event_type: string }) => x.event_type)).toEqual(['verdict.created', 'verdict.updated']);
  });

  it('takes a second review from the action the first one put in force', async () => {
    const d = await seedDecision(h.ctx, { postId: 'r-twice', action: 'hold', flagged: [{ policy: 'hostility', score: 0.85 }] });
    await call('POST', `/v1/decisions/${d.id}/reviews`, alex.headers, { outcome: 'override', action: 'allow', labels: [] });
    const confirmHold = await call('POST', `/v1/decisions/${d.id}/reviews`, sam.headers, {
      outcome: 'confirm',
      action: 'hold',
      labels: [],
    });
    expect(confirmHold.status).toBe(400);
    const second = await call('POST', `/v1/decisions/${d.id}/reviews`, sam.headers, {
      outcome: 'override',
      action: 'remove',
      labels: ['hostility'],
    });
    expect(second.status).toBe(201);
    const [event] = await h.ctx.database
      .sql`select payload from audit_events where type = 'reviewed' and subject_id = ${second.body.review.id}`;
    expect(event?.payload).toMatchObject({ previous_action: 'allow', action: 'remove' });
  });

  it('lets a confirm leave labels out: it keeps the flagged policies, or the labels an earlier review put in force', async () => {
    const flagged = await seedDecision(h.ctx, {
      postId: 'r-confirm',
      action: 'review',
      flagged: [
        { policy: 'unsafe_medical_advice', score: 0.7 },
        { policy: 'misinformation', score: 0.66 },
      ],
    });
    const confirm = await call('POST', `/v1/decisions/${flagged.id}/reviews`, alex.headers, { outcome: 'confirm' });
    expect(confirm.status).toBe(201);
    expect(confirm.body.review).toMatchObject({ outcome: 'confirm', action: 'review' });
    expect([...confirm.body.review.labels].sort()).toEqual(['misinformation', 'unsafe_medical_advice']);

    const cleared = await seedDecision(h.ctx, { postId: 'r-confirm-2', action: 'hold', flagged: [{ policy: 'hostility', score: 0.85 }] });
    await call('POST', `/v1/decisions/${cleared.id}/reviews`, alex.headers, { outcome: 'override', action: 'allow', labels: [] });
    const second = await call('POST', `/v1/decisions/${cleared.id}/reviews`, sam.headers, { outcome: 'confirm' });
    expect(second.status).toBe(201);
    expect(second.body.review).toMatchObject({ outcome: 'confirm', action: 'allow', labels: [] });
  });

  it('refuses malformed reviews, changing nothing', async () => {
    const d = await seedDecision(h.ctx, { postId: 'r-3', action: 'review' });
    const bad = [
      { outcome: 'agree', labels: [] },
      { outcome: 'confirm', labels: ['rudeness'] },
      { outcome: 'override', labels: [] },
      // An override must say which policies apply; only a confirm may leave labels out.
      { outcome: 'override', action: 'allow' },
      { outcome: 'confirm', action: 'remove', labels: [] },
      { outcome: 'confirm', labels: [], extra: true },
    ];
    for (const body of bad) {
      const res = await call('POST', `/v1/decisions/${d.id}/reviews`, alex.headers, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const raw = await h.app.request(`/v1/decisions/${d.id}/reviews`, {
      method: 'POST',
      headers: { ...alex.headers, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(raw.status).toBe(400);
    const [row] = await h.ctx.database.sql`select count(*)::int as n from reviews where decision_id = ${d.id}`;
    expect(row?.n).toBe(0);
  });
});

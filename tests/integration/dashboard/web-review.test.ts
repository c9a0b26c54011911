import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisions, reviewClaims, reviews, threadAlerts } from '../../../src/db/schema/index.ts';
import { createForum } from '../../../src/forums/forums.ts';
import { DashboardClient } from '../../support/dashboard-client.ts';
import { eventually } from '../../support/eventually.ts';
import { type Harness, startHarness } from '../../support/harness.ts';
import { keyFor, seedDecision } from '../../support/seed.ts';

let h: Harness;
let alex: DashboardClient;
let sam: DashboardClient;
let auditor: DashboardClient;

beforeAll(async () => {
  h = await startHarness({ workers: true, receiver: true });
  await createForum(h.ctx.database.db, { id: 'other-forum' }, { allowPrivate: true, actor: 'test' });
  alex = new DashboardClient(h.app);
  sam = new DashboardClient(h.app);
  auditor = new DashboardClient(h.app);
  await alex.signIn((await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'alex' })).key);
  await sam.signIn((await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'sam' })).key);
  await auditor.signIn((await keyFor(h.ctx, 'auditor', ['chronic-pain'], { name: 'audrey' })).key);
});
afterAll(() => h.close());

const reviewsOf = (decisionId: string) => h.ctx.database.db.select().from(reviews).where(eq(reviews.decisionId, decisionId));
const postIdsInQueue = (html: string) => [...html.matchAll(/data-post="([^"]+)"/g)].map((m) => m[1]);

describe('the queue page', () => {
  it('lists urgent first, then oldest, with forum, action, flags and scores; filters by policy and action', async () => {
    await seedDecision(h.ctx, { postId: 'wq-old', action: 'review', flagged: [{ policy: 'misinformation', score: 0.61 }] });
    await seedDecision(h.ctx, { postId: 'wq-held', action: 'hold', flagged: [{ policy: 'hostility', score: 0.93 }] });
    await seedDecision(h.ctx, { postId: 'wq-urgent', action: 'hold', urgent: true, flagged: [{ policy: 'self_harm', score: 0.95 }] });
    await seedDecision(h.ctx, { postId: 'wq-fine', action: 'allow' });
    await seedDecision(h.ctx, { forumId: 'other-forum', postId: 'wq-elsewhere', action: 'hold' });

    await alex.get('/dashboard/queue');
    const ids = postIdsInQueue(alex.lastHtml).filter((id) => id?.startsWith('wq-'));
    expect(ids).toEqual(['wq-urgent', 'wq-old', 'wq-held']);
    expect(alex.lastHtml).toContain('hostility 0.93');
    expect(alex.lastHtml).toContain('URGENT');

    await alex.get('/dashboard/queue?policy=hostility');
    expect(postIdsInQueue(alex.lastHtml).filter((id) => id?.startsWith('wq-'))).toEqual(['wq-held']);
    await alex.get('/dashboard/queue?action=review&policy=');
    expect(postIdsInQueue(alex.lastHtml).filter((id) => id?.startsWith('wq-'))).toEqual(['wq-old']);
    expect((await alex.get('/dashboard/queue?action=explode')).status).toBe(400);
    // Another forum is not even a filter a chronic-pain moderator can pick.
    expect((await alex.get('/dashboard/queue?forum_id=other-forum')).status).toBe(404);
  });
});

describe('tense threads in the queue', () => {
  it('lists an open thread alert as one item above the posts, and a moderator resolves it with a note', async () => {
    const a = await seedDecision(h.ctx, { postId: 'wt-1', action: 'hold', flagged: [{ policy: 'hostility', score: 0.9 }] });
    const b = await seedDecision(h.ctx, { postId: 'wt-2', action: 'hold', flagged: [{ policy: 'hostility', score: 0.9 }] });
    const [alert] = await h.ctx.database.db
      .insert(threadAlerts)
      .values({
        forumId: 'chronic-pain',
        threadId: 't-77',
        reason: 'pile_on',
        targetAuthorId: 'u-5',
        details: {},
        decisionIds: [a.id, b.id],
      })
      .returning();
    await alex.get('/dashboard/queue');
    expect(alex.lastHtml).toContain('Pile-on in thread t-77');
    expect(alex.lastHtml).toContain(`href="/dashboard/decisions/${b.id}"`);
    // Its posts are the thread's item, not rows of their own.
    expect(postIdsInQueue(alex.lastHtml)).not.toContain('wt-1');
    await auditor.get('/dashboard/queue');
    expect(auditor.lastHtml).toContain('Pile-on in thread t-77');
    expect(auditor.lastHtml).not.toContain(`/dashboard/thread-alerts/${alert?.id}/resolve`);
    expect((await auditor.post(`/dashboard/thread-alerts/${alert?.id}/resolve`, { csrf: auditor.csrf() })).status).toBe(403);
    expect((await alex.post(`/dashboard/thread-alerts/${alert?.id}/resolve`, { csrf: 'forged' })).status).toBe(403);

    const res = await alex.post(`/dashboard/thread-alerts/${alert?.id}/resolve`, { csrf: alex.csrf(), note: 'Asked them to stop.' });
    expect(res.status).toBe(303);
    const [resolved] = await h.ctx.database.db
      .select()
      .from(threadAlerts)
      .where(eq(threadAlerts.id, alert?.id ?? ''));
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'alex', note: 'Asked them to stop.' });
    await alex.get(res.headers.get('location') ?? '');
    expect(alex.lastHtml).toContain('Resolved the alert on thread t-77.');
    expect(postIdsInQueue(alex.lastHtml)).toContain('wt-1');
  });
});

describe('the decision page', () => {
  it('shows the post with each evidence span marked and labelled by policy, scores against flag_at, and claims it on open', async () => {
    const body = 'You are a pathetic liar. Call her on 0412 555 019 and tell her.';
    const d = await seedDecision(h.ctx, {
      postId: 'wd-1',
      body,
      action: 'hold',
      flagged: [
        { policy: 'hostility', score: 0.91, evidence: [{ start: 0, end: 23 }] },
        { policy: 'privacy_leak', score: 0.8, evidence: [{ start: 37, end: 49 }] },
      ],
    });
    const res = await alex.get(`/dashboard/decisions/${d.id}`);
    expect(res.status).toBe(200);
    const html = alex.lastHtml;
    expect(html).toContain(
      '<span class="ev-label ev-hostility">hostility</span><mark class="ev ev-hostility" title="hostility">You are a pathetic liar</mark>',
    );
    expect(html).toContain(
      '<span class="ev-label ev-privacy_leak">privacy_leak</span><mark class="ev ev-privacy_leak" title="privacy_leak">0412 555 019</mark>',
    );
    const flagAt = h.ctx.policySet.byId.get('hostility')?.flag_at ?? 0;
    expect(html).toContain(`<td data-label="flag_at">${flagAt.toFixed(2)}</td>`);
    expect(html).toContain('seeded hostility flag');
    expect(html).toContain('verdict.created');
    expect(html).toContain('decided by');
    const [claim] = await h.ctx.database.db.select().from(reviewClaims).where(eq(reviewClaims.decisionId, d.id));
    expect(claim?.claimedBy).toBe('alex');

    // Sam opens it while Alex holds it: readable, not reviewable, and Sam's post is refused.
    await sam.get(`/dashboard/decisions/${d.id}`);
    expect(sam.lastHtml).toContain('Claimed by alex');
    expect(sam.lastHtml).not.toContain('id="confirm-button"');
    const samTry = await sam.post(`/dashboard/decisions/${d.id}/review`, { csrf: sam.csrf(), outcome: 'confirm' });
    expect(samTry.status).toBe(409);
    expect(await reviewsOf(d.id)).toHaveLength(0);

    // Alex leaves it; Sam's next look claims it and may review.
    await alex.get(`/dashboard/decisions/${d.id}`);
    expect((await alex.post(`/dashboard/decisions/${d.id}/release`, { csrf: alex.csrf() })).status).toBe(303);
    await sam.get(`/dashboard/decisions/${d.id}`);
    expect(sam.lastHtml).toContain('id="confirm-button"');
    const [samClaim] = await h.ctx.database.db.select().from(reviewClaims).where(eq(reviewClaims.decisionId, d.id));
    expect(samClaim?.claimedBy).toBe('sam');
  });

  it('shows the remedy a decision carries: the masked text and a suggested crisis reply with its lines', async () => {
    const d = await seedDecision(h.ctx, {
      postId: 'wd-remedy',
      action: 'hold',
      urgent: true,
      flagged: [{ policy: 'self_harm', score: 0.95 }],
    });
    await h.ctx.database.db
      .update(decisions)
      .set({
        remedy: {
          redacted_body: 'Call [phone] tonight.',
          suggested_reply: {
            language: 'en',
            text: 'We are glad you posted. You are not alone.',
            resources: [{ name: 'Lifeline', phone: '13 11 14' }],
          },
        },
      })
      .where(eq(decisions.id, d.id));
    await alex.get(`/dashboard/decisions/${d.id}`);
    expect(alex.lastHtml).toContain('Call [phone] tonight.');
    expect(alex.lastHtml).toContain('Suggested reply to a member in crisis');
    expect(alex.lastHtml).toContain('We are glad you posted. You are not alone.');
    expect(alex.lastHtml).toContain('Lifeline: 13 11 14');
  });

  it('answers 404 for another forum’s decision, and for an id that is not one', async () => {
    const elsewhere = await seedDecision(h.ctx, { forumId: 'other-forum', postId: 'wd-other', action: 'hold' });
    const res = await alex.get(`/dashboard/decisions/${elsewhere.id}`);
    expect(res.status).toBe(404);
    expect(alex.lastHtml).not.toContain('wd-other');
    expect((await alex.post(`/dashboard/decisions/${elsewhere.id}/review`, { csrf: sam.csrf(), outcome: 'confirm' })).status).toBe(403);
    await alex.get('/dashboard/queue');
    expect((await alex.post(`/dashboard/decisions/${elsewhere.id}/review`, { csrf: alex.csrf(), outcome: 'confirm' })).status).toBe(404);
    expect(await reviewsOf(elsewhere.id)).toHaveLength(0);
    expect((await alex.get('/dashboard/decisions/not-a-uuid')).status).toBe(404);
  });
});

describe('reviewing from the dashboard', () => {
  it('refuses a review without the session’s CSRF token, or with another session’s', async () => {
    const d = await seedDecision(h.ctx, { postId: 'wr-csrf', action: 'review', flagged: [{ policy: 'hostility', score: 0.6 }] });
    await alex.get(`/dashboard/decisions/${d.id}`);
    expect((await alex.post(`/dashboard/decisions/${d.id}/review`, { outcome: 'confirm' })).status).toBe(403);
    await sam.get('/dashboard/queue');
    expect((await alex.post(`/dashboard/decisions/${d.id}/review`, { csrf: sam.csrf(), outcome: 'confirm' })).status).toBe(403);
    expect(await reviewsOf(d.id)).toHaveLength(0);
  });

  it('confirms: the review is recorded with the labels in force, and the queue says so', async () => {
    const d = await seedDecision(h.ctx, { postId: 'wr-confirm', action: 'hold', flagged: [{ policy: 'hostility', score: 0.88 }] });
    await alex.get(`/dashboard/decisions/${d.id}`);
    const res = await alex.post(`/dashboard/decisions/${d.id}/review`, { csrf: alex.csrf(), outcome: 'confirm', note: '' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/queue?done=confirm&post=wr-confirm');
    const [review] = await reviewsOf(d.id);
    expect(review).toMatchObject({ outcome: 'confirm', action: 'hold', labels: ['hostility'], reviewer: 'alex', note: null });
    await alex.get(res.headers.get('location') ?? '');
    expect(alex.lastHtml).toContain('Confirmed post wr-confirm.');
    expect(postIdsInQueue(alex.lastHtml)).not.toContain('wr-confirm');
  });

  it('overrides with an action, labels and a note, and the forum receives a signed verdict.updated', async () => {
    const d = await seedDecision(h.ctx, {
      postId: 'wr-override',
      body: 'Her number is 0412 555 019, call her.',
      action: 'hold',
      flagged: [{ policy: 'privacy_leak', score: 0.95 }],
    });
    await alex.get(`/dashboard/decisions/${d.id}`);
    const res = await alex.post(`/dashboard/decisions/${d.id}/review`, {
      csrf: alex.csrf(),
      outcome: 'override',
      action: 'remove',
      labels: ['privacy_leak', 'hostility'],
      note: 'Phone number of someone outside the forum.',
    });
    expect(res.status).toBe(303);
    const [review] = await reviewsOf(d.id);
    expect(review).toMatchObject({ outcome: 'override', action: 'remove', note: 'Phone number of someone outside the forum.' });
    expect(review?.labels.sort()).toEqual(['hostility', 'privacy_leak']);
    const update = await eventually(
      () =>
        h.receiver.calls.find((c) => JSON.parse(c.body).type === 'verdict.updated' && JSON.parse(c.body).data.post_id === 'wr-override'),
      15_000,
      'verdict.updated',
    );
    expect(JSON.parse(update.body).data).toMatchObject({ action: 'remove', previous_action: 'hold' });
    expect(() => new Webhook(h.forum.callback_secret).verify(update.body, h.receiver.headersOf(update))).not.toThrow();
  });

  it('overrides to a clean post when no label is ticked, and refuses an override without an action', async () => {
    const d = await seedDecision(h.ctx, { postId: 'wr-clean', action: 'hold', flagged: [{ policy: 'unsafe_medical_advice', score: 0.8 }] });
    await alex.get(`/dashboard/decisions/${d.id}`);
    const bad = await alex.post(`/dashboard/decisions/${d.id}/review`, { csrf: alex.csrf(), outcome: 'override' });
    expect(bad.status).toBe(400);
    expect(await reviewsOf(d.id)).toHaveLength(0);
    const ok = await alex.post(`/dashboard/decisions/${d.id}/review`, { csrf: alex.csrf(), outcome: 'override', action: 'allow' });
    expect(ok.status).toBe(303);
    expect((await reviewsOf(d.id))[0]).toMatchObject({ action: 'allow', labels: [] });
  });
});

describe('auditors', () => {
  it('read masked text with no review forms, claim nothing, and cannot post a review', async () => {
    const d = await seedDecision(h.ctx, {
      postId: 'wa-1',
      body: 'Email her at someone@example.org or call 0412 555 019.',
      action: 'hold',
      flagged: [{ policy: 'privacy_leak', score: 0.9, evidence: [{ start: 13, end: 32 }] }],
    });
    const res = await auditor.get(`/dashboard/decisions/${d.id}`);
    expect(res.status).toBe(200);
    expect(auditor.lastHtml).not.toContain('someone@example.org');
    expect(auditor.lastHtml).not.toContain('0412 555 019');
    expect(auditor.lastHtml).toContain('contact details masked');
    expect(auditor.lastHtml).not.toContain('id="confirm-button"');
    expect(auditor.lastHtml).not.toContain('id="override-button"');
    expect(await h.ctx.database.db.select().from(reviewClaims).where(eq(reviewClaims.decisionId, d.id))).toHaveLength(0);
    const post = await auditor.post(`/dashboard/decisions/${d.id}/review`, { csrf: auditor.csrf(), outcome: 'confirm' });
    expect(post.status).toBe(403);
    expect(await reviewsOf(d.id)).toHaveLength(0);
  });
});

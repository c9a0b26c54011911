import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit-log.ts';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { auditEvents, decisions, deliveries, deliveryAttempts, revisions } from '../../src/db/schema/index.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { forumHeaders, verifyCallback } from '../support/sign.ts';

describe('a post from ingest to a signed verdict callback', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ workers: true, receiver: true });
  });
  afterAll(() => h.close());

  it('queues, decides, stores with audit events, and calls the forum back signed', async () => {
    const post = samplePost('You are a pathetic liar and everyone here knows it.');
    const res = await h.submit(post);
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { submission_id: string; status: string };
    expect(accepted.status).toBe('queued');
    expect(accepted.submission_id).toMatch(/^sub_/);

    const [call] = await h.receiver.waitForCalls(1);
    if (!call) throw new Error('no callback');
    const headers = h.receiver.headersOf(call);
    expect(() => verifyCallback(h.forum.callback_secret, call.body, headers)).not.toThrow();
    expect(() => verifyCallback(h.forum.ingest_secret, call.body, headers)).toThrow();
    const payload = JSON.parse(call.body);
    expect(payload.type).toBe('verdict.created');
    expect(payload.data).toMatchObject({ forum_id: 'chronic-pain', post_id: post.id, revision: 1, urgent: false });
    expect(['review', 'hold', 'remove']).toContain(payload.data.action);
    const hostility = payload.data.policies.find((p: { policy: string }) => p.policy === 'hostility');
    expect(hostility.flagged).toBe(true);
    for (const e of hostility.evidence) expect(post.body.slice(e.start, e.end)).toBe(e.text);
    expect(payload.data.policies).toHaveLength(5);
    expect(payload.data.policy_set_version).toBe(h.ctx.policySet.version);

    const db = h.ctx.database.db;
    const [decision] = await db.select().from(decisions).where(eq(decisions.postId, post.id));
    expect(decision?.id).toBe(payload.data.decision_id);
    const [revision] = await db.select().from(revisions).where(eq(revisions.postId, post.id));
    expect(revision?.submissionId).toBe(accepted.submission_id);

    const delivery = await eventually(async () => {
      const [d] = await db.select().from(deliveries).where(eq(deliveries.decisionId, payload.data.decision_id));
      return d?.status === 'succeeded' ? d : undefined;
    });
    expect(headers['webhook-id']).toBe(delivery.webhookId);
    const attempts = await db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, delivery.id));
    expect(attempts.map((a) => a.statusCode)).toEqual([200]);

    // The delivered event is sealed into the chain just after the delivery's commit.
    await h.ctx.audit.sealer.seal('chronic-pain');
    const types = (await db.select().from(auditEvents).where(eq(auditEvents.forumId, 'chronic-pain')).orderBy(auditEvents.seq)).map(
      (e) => e.type,
    );
    expect(types).toEqual(['forum_created', 'received', 'decided', 'delivered']);
    expect(await verifyAuditChain(db, 'chronic-pain')).toMatchObject({ ok: true, checked: 4 });
  });

  it('serves the latest verdict to an API key or a forum signature, and 401 otherwise', async () => {
    const post = samplePost('Gentle stretching before bed has helped my hips.');
    expect((await h.submit(post)).status).toBe(202);
    const path = `/v1/forums/chronic-pain/posts/${post.id}/verdict`;
    const { key } = await createApiKey(h.ctx.database.db, { role: 'admin' });
    const byKey = await eventually(async () => {
      const r = await h.app.request(path, { headers: { authorization: `Bearer ${key}` } });
      return r.status === 200 ? r.json() : undefined;
    });
    expect(byKey).toMatchObject({ post_id: post.id, action: 'allow', urgent: false });

    const signed = await h.app.request(path, { headers: forumHeaders(h.forum.ingest_secret, path) });
    expect(signed.status).toBe(200);

    const none = await h.app.request(path);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'unauthorized', request_id: expect.any(String) } });
    const wrongKey = await h.app.request(path, { headers: { authorization: 'Bearer hk_not-a-real-key' } });
    expect(wrongKey.status).toBe(401);
    const wrongSig = await h.app.request(path, { headers: forumHeaders(h.forum.callback_secret, path) });
    expect(wrongSig.status).toBe(401);
    // The signature covers the path: the forum's poll for another post, or one over the empty
    // body, cannot be replayed against this post.
    const another = `/v1/forums/chronic-pain/posts/${post.id}-other/verdict`;
    const replayed = await h.app.request(path, { headers: forumHeaders(h.forum.ingest_secret, another) });
    expect(replayed.status).toBe(401);
    expect((await h.app.request(path, { headers: forumHeaders(h.forum.ingest_secret, '') })).status).toBe(401);
  });

  it('answers 200 with the verdict when ?wait lets it finish in time', async () => {
    const post = samplePost('I quit duloxetine cold turkey and it was hell.');
    const res = await h.submit(post, { query: '?wait=10000' });
    expect(res.status).toBe(200);
    const verdict = (await res.json()) as { post_id: string; action: string; decision_id: string };
    expect(verdict.post_id).toBe(post.id);
    const [stored] = await h.ctx.database.db.select().from(decisions).where(eq(decisions.id, verdict.decision_id));
    expect(stored?.action).toBe(verdict.action);
  });
});

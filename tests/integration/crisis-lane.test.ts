import { eq } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { auditEvents, decisions, revisions } from '../../src/db/schema/index.ts';
import { startWorkers } from '../../workers/index.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { queuesDrained } from '../support/queues.ts';

const CRISIS = "I've saved up all my pills and I'm going to take them tonight. Thank you all for everything.";
const IN_PASSING = 'this pain is killing me, I could die for a nap';

// Verdicts only: an urgent verdict's alert.urgent callback is tested in tests/integration/members.
const callbacksFor = (h: Harness, postId: string) =>
  h.receiver.calls
    .map((c) => JSON.parse(c.body))
    .filter((b: { type: string }) => b.type.startsWith('verdict.'))
    .map((b: { data: { post_id: string } }) => b.data)
    .filter((d: { post_id: string }) => d.post_id === postId);

describe('the crisis lane', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('decides an ordinary post that mentions a crisis word in passing as usual: allow, exactly once', async () => {
    h = await startHarness({ workers: true, receiver: true });
    const post = samplePost(IN_PASSING);
    const res = await h.submit(post);
    expect(res.status).toBe(202);
    const { submission_id } = (await res.json()) as { submission_id: string };
    // It went through the lane (its job is there, none in the ordinary queue) ...
    expect(await h.ctx.queues.moderateUrgent.getJob(submission_id)).toBeDefined();
    expect(await h.ctx.queues.moderate.getJob(submission_id)).toBeUndefined();
    // ... and a repeat is absorbed by the same job id, then by the decision's unique key.
    expect((await h.submit(post, { query: '?wait=5000' })).status).toBe(200);
    await queuesDrained(h.ctx);
    await (await h.ctx.queues.moderateUrgent.getJob(submission_id))?.remove();
    expect((await h.submit(post)).status).toBe(202);
    await queuesDrained(h.ctx);

    expect(callbacksFor(h, post.id)).toEqual([expect.objectContaining({ action: 'allow', urgent: false, revision: 1 })]);
    const db = h.ctx.database.db;
    const rows = await db.select().from(decisions).where(eq(decisions.postId, post.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'allow', urgent: false, lane: 'urgent' });
    const types = (await db.select().from(auditEvents).where(eq(auditEvents.forumId, 'chronic-pain')).orderBy(auditEvents.seq)).map(
      (e) => e.type,
    );
    expect(types).toEqual(['forum_created', 'received', 'decided', 'delivered']);
  });

  it('keeps a lane post while the lane worker is stopped, and decides it once the worker is back', async () => {
    h = await startHarness({ workers: { queues: ['moderate', 'deliver', 'llm'] }, receiver: true });
    const crisis = samplePost(CRISIS);
    const res = await h.submit(crisis);
    const { submission_id } = (await res.json()) as { submission_id: string };
    // An ordinary post sent after it is decided: the ordinary workers run, the lane does not.
    const ordinary = samplePost('Physio again today; the new stretches help a little.');
    await h.submit(ordinary);
    await h.receiver.waitForCalls(1);
    expect(callbacksFor(h, ordinary.id)).toHaveLength(1);
    expect(await (await h.ctx.queues.moderateUrgent.getJob(submission_id))?.getState()).toBe('waiting');
    expect(await h.ctx.database.db.select().from(revisions).where(eq(revisions.postId, crisis.id))).toHaveLength(0);

    // The lane's worker starts (a restart, or an urgent-only process): the post is decided once.
    const lane = await startWorkers(h.ctx, { queues: ['urgent'] });
    try {
      await eventually(() => callbacksFor(h as Harness, crisis.id).length > 0, 10_000, 'the crisis callback');
      await queuesDrained(h.ctx);
      expect(callbacksFor(h, crisis.id)).toEqual([expect.objectContaining({ urgent: true })]);
      expect(await h.ctx.database.db.select().from(decisions).where(eq(decisions.postId, crisis.id))).toHaveLength(1);
    } finally {
      await lane.close(2000);
    }
  });

  it('reports the lane in /v1/stats and /metrics', async () => {
    h = await startHarness({ workers: true, receiver: true });
    const crisis = samplePost(CRISIS);
    await h.submit(crisis);
    await h.submit(samplePost('Heat pads and pacing help my back on bad days.'));
    // The crisis post's alert.urgent and verdict, the ordinary post's verdict.
    await h.receiver.waitForCalls(3);
    await queuesDrained(h.ctx);
    const { key } = await createApiKey(h.ctx.database.db, { role: 'admin' });
    const stats = (await (await h.app.request('/v1/stats', { headers: { authorization: `Bearer ${key}` } })).json()) as {
      crisis_lane: {
        posts: number;
        urgent: number;
        accepted_to_verdict_ms: { p50: number };
        accepted_to_callback_ms: { p99: number };
        accepted_to_alert_ms: { p50: number | null };
      };
    };
    expect(stats.crisis_lane).toMatchObject({ posts: 1, urgent: 1 });
    expect(stats.crisis_lane.accepted_to_verdict_ms.p50).toBeGreaterThanOrEqual(0);
    expect(stats.crisis_lane.accepted_to_callback_ms.p99).toBeGreaterThanOrEqual(stats.crisis_lane.accepted_to_verdict_ms.p50);
    // The moderators' alert was answered too, and its wait is shown beside the verdict's.
    expect(stats.crisis_lane.accepted_to_alert_ms.p50).toEqual(expect.any(Number));
    expect(stats.crisis_lane.accepted_to_alert_ms.p50).toBeGreaterThanOrEqual(stats.crisis_lane.accepted_to_verdict_ms.p50);

    const metrics = await (await h.app.request('/metrics')).text();
    expect(metrics).toMatch(/hearth_crisis_lane_seconds_count\{stage="decided"\} 1/);
    expect(metrics).toMatch(/hearth_crisis_lane_seconds_count\{stage="delivered"\} 1/);
    expect(metrics).toMatch(/hearth_queue_jobs\{queue="moderate-urgent",state="waiting"\} 0/);
  });
});

import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/audit/audit-log.ts';
import { auditEvents, threadAlerts } from '../../../src/db/schema/index.ts';
import { callApi } from '../../support/api.ts';
import { eventually } from '../../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../../support/harness.ts';
import { keyFor } from '../../support/seed.ts';
import { verifyCallback } from '../../support/sign.ts';

let h: Harness;
let admin: Record<string, string>;
let moderator: Record<string, string>;

const HOSTILE = [
  'You are a pathetic liar and everyone here knows it.',
  'You are a pathetic liar, nobody believes a word you say.',
  'You are a pathetic whiner and a liar, just leave.',
  'You are a pathetic liar and a fraud.',
];

beforeAll(async () => {
  h = await startHarness({ workers: true, receiver: true });
  admin = (await keyFor(h.ctx, 'admin')).headers;
  moderator = (await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'sam' })).headers;
});
afterAll(() => h.close());

const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) => callApi(h.app, method, path, headers, body);

async function post(id: string, author: string, body: string, extra: Record<string, unknown> = {}) {
  const res = await h.submit({ ...samplePost(body, extra), id, author: { id: author } }, { query: '?wait=10000' });
  expect(res.status).toBe(200);
  return (await res.json()) as { action: string; decision_id: string };
}

const alertCalls = () => h.receiver.calls.map((c) => JSON.parse(c.body)).filter((b) => b.type === 'thread.alert');

describe('tense threads', () => {
  it('refuse bad settings with the field named, and take good ones', async () => {
    const bad = await call('PATCH', '/v1/forums/chronic-pain/remedies', admin, { thread_alerts: { pile_on: { authors: 1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/thread_alerts\.pile_on\.authors/);
    const empty = await call('PATCH', '/v1/forums/chronic-pain/remedies', admin, { thread_alerts: {} });
    expect(empty.status).toBe(400);
    const ok = await call('PATCH', '/v1/forums/chronic-pain/remedies', admin, {
      thread_alerts: { pile_on: { authors: 3, within_minutes: 30 } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.thread_alerts).toEqual({ pile_on: { authors: 3, within_minutes: 30 } });
  });

  it('raise one thread.alert for a pile-on by three members, not one per post, and show the thread as one queue item', async () => {
    await post('root-1', 'u-target', 'Week three on the new dose and I finally slept through the night.', { thread_id: 'thread-1' });
    const replies = [];
    for (const [i, author] of ['u-a', 'u-b', 'u-c', 'u-d'].entries()) {
      replies.push(await post(`reply-${i}`, author, HOSTILE[i] as string, { thread_id: 'thread-1', reply_to: 'root-1' }));
    }
    for (const r of replies) expect(r.action).not.toBe('allow');
    await h.receiver.waitForCalls(6);
    const alerts = await eventually(() => (alertCalls().length >= 1 ? alertCalls() : undefined));
    // Give any second alert time to arrive: the verdicts of all five posts came first.
    await eventually(() => h.receiver.calls.filter((c) => c.body.includes('verdict.created')).length >= 5 || undefined);
    expect(alertCalls()).toHaveLength(1);
    const alert = alerts[0].data;
    expect(alert).toMatchObject({ thread_id: 'thread-1', reason: 'pile_on', target_author_id: 'u-target', status: 'open' });
    expect(alert.details).toMatchObject({ authors: 3, post_ids: ['reply-0', 'reply-1', 'reply-2'] });
    const signed = h.receiver.calls.find((c) => c.body.includes('"thread.alert"'));
    if (!signed) throw new Error('no thread.alert call');
    expect(() => verifyCallback(h.forum.callback_secret, signed.body, h.receiver.headersOf(signed))).not.toThrow();

    // The fourth member's reply joined the open alert instead of raising another.
    const stored = await h.ctx.database.db.select().from(threadAlerts).where(eq(threadAlerts.threadId, 'thread-1'));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.decisionIds).toEqual(replies.map((r) => r.decision_id));

    const queue = await call('GET', '/v1/review-queue?forum_id=chronic-pain', moderator);
    expect(queue.status).toBe(200);
    expect(queue.body.threads).toHaveLength(1);
    expect(queue.body.threads[0].alert_id).toBe(alert.alert_id);
    const listed = queue.body.items.map((i: { id: string }) => i.id);
    for (const r of replies) expect(listed).not.toContain(r.decision_id);

    const [event] = await h.ctx.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, 'thread_alert_opened'), eq(auditEvents.subjectId, alert.alert_id)));
    expect(event?.payload).toMatchObject({ thread_id: 'thread-1', reason: 'pile_on' });
    expect(JSON.stringify(event?.payload)).not.toContain('u-target');
  });

  it('close when a moderator resolves the alert, with the thread back as single posts', async () => {
    const [open] = (await call('GET', '/v1/thread-alerts?forum_id=chronic-pain&status=open', moderator)).body.items;
    const resolved = await call('POST', `/v1/thread-alerts/${open.alert_id}/resolve`, moderator, {
      note: 'Stepped in, reminded everyone of the guidelines.',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolved_by: 'sam' });
    expect((await call('POST', `/v1/thread-alerts/${open.alert_id}/resolve`, moderator, {})).status).toBe(409);
    expect((await call('POST', '/v1/thread-alerts/00000000-0000-4000-8000-000000000000/resolve', moderator, {})).status).toBe(404);

    const queue = await call('GET', '/v1/review-queue?forum_id=chronic-pain', moderator);
    expect(queue.body.threads).toEqual([]);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining(open.decision_ids));

    // One more hostile reply: the posts before the resolution do not count again.
    await post('reply-late', 'u-e', HOSTILE[0] as string, { thread_id: 'thread-1', reply_to: 'root-1' });
    expect((await call('GET', '/v1/thread-alerts?forum_id=chronic-pain&status=open', moderator)).body.items).toEqual([]);
    expect(await verifyAuditChain(h.ctx.database.db, 'chronic-pain')).toMatchObject({ ok: true });
  });
});

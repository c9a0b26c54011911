import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_DELIVER } from '../../../src/jobs/payloads.ts';
import { callApi } from '../../support/api.ts';
import { eventually } from '../../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../../support/harness.ts';
import { keyFor, seedDecision } from '../../support/seed.ts';
import { verifyCallback } from '../../support/sign.ts';

let h: Harness;
let admin: Record<string, string>;

const CRISIS = "I've saved up all my pills and I'm going to take them tonight. Thank you all for everything.";
const CRISIS_ES = 'Voy a quitarme la vida esta noche, ya tengo las pastillas guardadas. Adiós a todos.';
const BACKLOG = 1000;

beforeAll(async () => {
  h = await startHarness({ workers: true, receiver: true });
  admin = (await keyFor(h.ctx, 'admin')).headers;
});
afterAll(() => h.close());

const call = (method: string, path: string, body?: unknown) => callApi(h.app, method, path, admin, body);
const bodies = () => h.receiver.calls.map((c) => JSON.parse(c.body) as { type: string; data: Record<string, unknown> });

describe('crisis support', () => {
  it("takes a forum's crisis resources, refusing bad ones with the field named", async () => {
    const bad = await call('PATCH', '/v1/forums/chronic-pain/remedies', {
      crisis: {
        resources: [
          { language: 'english', name: 'Samaritans' },
          { language: 'en', name: 'X', url: 'http://x.example' },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/crisis\.resources\.0\.language: a two-letter language code/);
    expect(bad.body.error.message).toMatch(/crisis\.resources\.0: give a phone number, a link or both/);
    expect(bad.body.error.message).toMatch(/crisis\.resources\.1\.url: an https:\/\/ link/);
    const ok = await call('PATCH', '/v1/forums/chronic-pain/remedies', {
      crisis: {
        country: 'GB',
        resources: [
          { language: 'en', country: 'GB', name: 'Samaritans', phone: '116 123', url: 'https://www.samaritans.org', emergency: '999' },
          { language: 'es', country: 'ES', name: 'Línea 024', phone: '024', emergency: '112' },
        ],
      },
    });
    expect(ok.status).toBe(200);
  });

  it(`sends alert.urgent with a suggested reply ahead of a backlog of ${BACKLOG} pending deliveries`, async () => {
    // A backlog of ordinary callbacks, all pending and queued before the crisis post arrives.
    const seeded = await seedDecision(h.ctx, { postId: 'backlog' });
    const ids = Array.from({ length: BACKLOG }, () => randomUUID());
    await h.ctx.database.db.execute(sql`
      insert into deliveries (id, webhook_id, forum_id, decision_id, event_type, payload)
      select id::uuid, 'msg_' || replace(id, '-', ''), 'chronic-pain', ${seeded.id}::uuid, 'verdict.created', '{"type":"verdict.created","data":{"post_id":"backlog"}}'::jsonb
      from unnest(${sql.raw(`ARRAY[${ids.map((id) => `'${id}'`).join(',')}]`)}::text[]) as id`);
    await h.ctx.queues.deliver.addBulk(ids.map((deliveryId) => ({ name: JOB_DELIVER, data: { deliveryId }, opts: { jobId: deliveryId } })));

    const crisis = samplePost(CRISIS, { thread_id: 'thread-7' });
    expect((await h.submit({ ...crisis, author: { id: 'u-77' } })).status).toBe(202);
    const alert = await eventually(() => bodies().find((b) => b.type === 'alert.urgent'), 15_000, 'the alert.urgent callback');
    const backlogDoneBefore = bodies().filter((b) => b.data.post_id === 'backlog').length;
    expect(backlogDoneBefore).toBeLessThan(BACKLOG);
    const [waiting] = (await h.ctx.database.db.execute(
      sql`select count(*)::int as pending from deliveries where decision_id = ${seeded.id} and status = 'pending'`,
    )) as unknown as Array<{ pending: number }>;
    expect(waiting?.pending).toBeGreaterThan(0);

    expect(alert.data).toMatchObject({ post_id: crisis.id, author_id: 'u-77', thread_id: 'thread-7', language: 'en' });
    const reply = alert.data.suggested_reply as { text: string; language: string; resources: Array<{ name: string }> };
    expect(reply.language).toBe('en');
    expect(reply.text).toContain('Samaritans, 116 123, https://www.samaritans.org');
    expect(reply.text).toContain('call 999');
    expect(reply.text).not.toMatch(/pills|tonight/);
    const signed = h.receiver.calls.find((c) => c.body.includes('"alert.urgent"'));
    if (!signed) throw new Error('no alert call');
    expect(() => verifyCallback(h.forum.callback_secret, signed.body, h.receiver.headersOf(signed))).not.toThrow();

    const verdict = await eventually(() => bodies().find((b) => b.type === 'verdict.created' && b.data.post_id === crisis.id));
    expect(verdict.data).toMatchObject({ urgent: true, suggested_reply: reply });
  }, 60_000);

  it("writes the reply in the post's language, from the forum's resources for it", async () => {
    const res = await h.submit(samplePost(CRISIS_ES), { query: '?wait=10000' });
    const verdict = (await res.json()) as { urgent: boolean; language: string; suggested_reply: { language: string; text: string } };
    expect(verdict).toMatchObject({ urgent: true, language: 'es' });
    expect(verdict.suggested_reply.language).toBe('es');
    expect(verdict.suggested_reply.text).toMatch(/^Gracias por contarnos/);
    expect(verdict.suggested_reply.text).toContain('Línea 024, 024');
    expect(verdict.suggested_reply.text).toContain('llama al 112');
  });

  it('reports the oldest urgent item waiting, and the time to a first moderator action', async () => {
    const moderator = await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'sam' });
    const queue = await callApi(h.app, 'GET', '/v1/review-queue?forum_id=chronic-pain', moderator.headers);
    expect(queue.body.oldest_urgent_age_seconds).toBeGreaterThanOrEqual(0);
    const urgent = queue.body.items.filter((i: { urgent: boolean }) => i.urgent);
    expect(urgent.length).toBeGreaterThanOrEqual(2);
    for (const item of urgent) {
      const review = await callApi(h.app, 'POST', `/v1/decisions/${item.id}/reviews`, moderator.headers, { outcome: 'confirm' });
      expect(review.status).toBe(201);
    }
    expect(
      (await callApi(h.app, 'GET', '/v1/review-queue?forum_id=chronic-pain', moderator.headers)).body.oldest_urgent_age_seconds,
    ).toBeNull();
    const stats = await call('GET', '/v1/stats?forum_id=chronic-pain');
    expect(stats.body.urgent_response.urgent).toBe(urgent.length);
    expect(stats.body.urgent_response.acted).toBe(urgent.length);
    expect(stats.body.urgent_response.first_action_ms.p50).toBeGreaterThan(0);
    expect(stats.body.urgent_response.first_action_ms.p95).toBeGreaterThanOrEqual(stats.body.urgent_response.first_action_ms.p50);
  });
});

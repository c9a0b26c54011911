import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateForum } from '../../../src/forums/forums.ts';
import { JOB_PURGE_TEXT } from '../../../src/jobs/payloads.ts';
import { callApi } from '../../support/api.ts';
import { eventually } from '../../support/eventually.ts';
import { type Harness, startHarness } from '../../support/harness.ts';
import { keyFor, seedDecision } from '../../support/seed.ts';

let h: Harness;
let admin: Record<string, string>;

beforeAll(async () => {
  // The forum's endpoint fails the first delivery for good (one attempt allowed), then recovers.
  h = await startHarness({ workers: true, receiver: [500], config: { callbacks: { attempts: 1 } } });
  admin = (await keyFor(h.ctx, 'admin')).headers;
});
afterAll(() => h.close());

const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) => callApi(h.app, method, path, headers, body);

describe('API keys', () => {
  it('creates a scoped, expiring key shown once, lists it without the key, and revokes it', async () => {
    const created = await call('POST', '/v1/api-keys', admin, {
      role: 'moderator',
      forums: ['chronic-pain'],
      name: 'sam',
      expires_in: '30d',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      role: 'moderator',
      forums: ['chronic-pain'],
      name: 'sam',
      status: 'active',
      key: expect.stringMatching(/^hk_/),
    });
    const days = (new Date(created.body.expires_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    const samKey = { authorization: `Bearer ${created.body.key}` };
    expect((await call('GET', '/v1/decisions', samKey)).status).toBe(200);

    const listed = await call('GET', '/v1/api-keys', admin);
    const entry = listed.body.find((k: { id: string }) => k.id === created.body.id);
    expect(entry).toMatchObject({ prefix: created.body.key.slice(0, 10), status: 'active' });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    const revoked = await call('DELETE', `/v1/api-keys/${created.body.id}`, admin);
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect((await call('GET', '/v1/decisions', samKey)).status).toBe(401);
    expect((await call('DELETE', `/v1/api-keys/${created.body.id}`, admin)).status).toBe(200);
  });

  it('refuses keys that would be unscoped or already expired', async () => {
    for (const body of [
      { role: 'moderator' },
      { role: 'auditor', forums: [] },
      { role: 'admin', forums: ['chronic-pain'] },
      { role: 'moderator', forums: ['chronic-pain'], expires_in: 'soon' },
      { role: 'owner', forums: ['chronic-pain'] },
      { role: 'moderator', forums: ['chronic-pain'], colour: 'blue' },
    ]) {
      const res = await call('POST', '/v1/api-keys', admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('DELETE', '/v1/api-keys/00000000-0000-4000-8000-000000000000', admin)).status).toBe(404);
  });
});

describe('POST /v1/deliveries/{id}/redeliver', () => {
  it('sends a failed callback again with a new webhook-id and records it', async () => {
    const d = await seedDecision(h.ctx, { postId: 'redeliver-me', action: 'hold', flagged: [{ policy: 'hostility', score: 0.9 }] });
    const [first] = await h.receiver.waitForCalls(1);
    const failed = await eventually(async () => {
      const detail = await call('GET', `/v1/decisions/${d.id}`, admin);
      const delivery = detail.body.deliveries[0];
      return delivery?.status === 'failed' ? delivery : undefined;
    });
    expect(failed.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 500 })]);

    const res = await call('POST', `/v1/deliveries/${failed.id}/redeliver`, admin);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ redelivery_of: failed.id, webhook_id: expect.stringMatching(/^msg_/) });
    const [, second] = await h.receiver.waitForCalls(2);
    expect(second?.status).toBe(200);
    expect(second?.body).toBe(first?.body);
    expect(second?.headers['webhook-id']).toBe(res.body.webhook_id);
    expect(second?.headers['webhook-id']).not.toBe(first?.headers['webhook-id']);

    const detail = await call('GET', `/v1/decisions/${d.id}`, admin);
    expect(detail.body.deliveries.map((x: { status: string; redelivery_of: string | null }) => [x.status, x.redelivery_of])).toEqual([
      ['failed', null],
      [expect.any(String), failed.id],
    ]);
    expect(detail.body.audit_trail.map((e: { type: string }) => e.type)).toContain('redelivery_requested');
  });

  it('will not redeliver one still in flight, or one that does not exist', async () => {
    const d = await seedDecision(h.ctx, { postId: 'in-flight' });
    // Once its job has finished, mark it pending again: to the API it is still in flight.
    const row = await eventually(async () => {
      const [r] = await h.ctx.database.sql`select id, status from deliveries where decision_id = ${d.id}`;
      return r && r.status !== 'pending' ? r : undefined;
    });
    await h.ctx.database.sql`update deliveries set status = 'pending' where id = ${row.id}`;
    expect((await call('POST', `/v1/deliveries/${row.id}/redeliver`, admin)).status).toBe(409);
    expect((await call('POST', '/v1/deliveries/00000000-0000-4000-8000-000000000000/redeliver', admin)).status).toBe(404);
  });
});

describe('retention, on schedule', () => {
  it('purges text past the period when the workers run the purge job', async () => {
    const old = await seedDecision(h.ctx, {
      postId: 'ancient',
      body: 'An old post about my knee.',
      receivedAt: new Date(Date.now() - 10 * 86_400_000),
    });
    await updateForum(h.ctx.database.db, 'chronic-pain', { retentionDays: 7 }, { actor: 'test' });
    await h.ctx.queues.deliver.add(JOB_PURGE_TEXT, {});
    await eventually(async () => {
      const [row] = await h.ctx.database.sql`select body, purged_at from revisions where id = ${old.revisionId}`;
      return row?.body === null && row.purged_at !== null;
    });
  });
});

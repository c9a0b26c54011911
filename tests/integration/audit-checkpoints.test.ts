import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Checkpoint, checkpointSignedWith } from '../../src/audit/audit-checkpoints.ts';
import { verify } from '../../src/webhooks/standard-webhooks.ts';
import { callApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { keyFor } from '../support/seed.ts';

// The anchored audit chain end to end: posts decided and delivered by the workers, their events
// sealed into a keyed chain, the head signed and sent to the forum, and the forum's kept copy
// used later to catch what the chain alone cannot show.
describe('audit checkpoints', () => {
  let h: Harness;
  let auditor: Record<string, string>;
  const call = (method: string, path: string, body?: unknown) => callApi(h.app, method, path, auditor, body);
  const asOwner = (statements: string) =>
    h.ctx.database.sql.unsafe(`
      alter table audit_events disable trigger audit_events_append_only;
      ${statements};
      alter table audit_events enable trigger audit_events_append_only;
    `);

  beforeAll(async () => {
    h = await startHarness({
      workers: true,
      receiver: true,
      config: { audit: { key: 'checkpoint test key: long enough, fictional, never used elsewhere', checkpointIntervalMs: 1 } },
    });
    auditor = (await keyFor(h.ctx, 'auditor', ['chronic-pain'])).headers;
  });
  afterAll(() => h.close());

  const checkpointsReceived = () =>
    h.receiver.calls
      .map((c) => ({ call: c, body: JSON.parse(c.body) as { type?: string } }))
      .filter((c) => c.body.type === 'audit.checkpoint');

  it('sends the forum a signed checkpoint of its chain head, and serves it later', async () => {
    for (let i = 0; i < 3; i++)
      expect((await h.submit(samplePost(`Physio went fine this week, day ${i}.`, { id: `cp-${i}` }))).status).toBe(202);
    // Three verdicts delivered: received, decided and delivered events for each, then a checkpoint covering them.
    const kept = await eventually(async () => {
      const delivered = h.receiver.calls.filter((c) => (JSON.parse(c.body) as { type?: string }).type === 'verdict.created');
      const last = checkpointsReceived().at(-1)?.body as Checkpoint | undefined;
      return delivered.length === 3 && last && last.seq >= 7 ? last : undefined;
    });
    const callback = checkpointsReceived().at(-1)?.call;
    expect(callback?.headers['webhook-id']).toBe(`chk_chronic-pain_${kept.seq}`);
    expect(
      verify(
        h.forum.callback_secret,
        {
          id: callback?.headers['webhook-id'] as string,
          timestamp: callback?.headers['webhook-timestamp'] as string,
          signature: callback?.headers['webhook-signature'] as string,
        },
        callback?.body ?? '',
      ),
    ).toBeNull();
    expect(kept.public_key).toBe(h.ctx.audit.key?.publicKeyBase64);
    expect(checkpointSignedWith(kept.public_key as string, kept)).toBe(true);

    const listed = await call('GET', '/v1/audit-events/checkpoints?forum_id=chronic-pain');
    expect(listed.status).toBe(200);
    const body = listed.body as { items: Checkpoint[]; key_id: string };
    expect(body.key_id).toBe(kept.key_id);
    expect(body.items.map((c) => c.seq)).toContain(kept.seq);

    const verified = await call('POST', '/v1/audit-events/verify', kept);
    expect(verified.body).toMatchObject({ ok: true, keyed: true, checkpoint: { seq: kept.seq, ok: true }, pending: { count: 0 } });
  });

  it('a verify against the kept checkpoint fails once the newest events are deleted', async () => {
    const kept = checkpointsReceived().at(-1)?.body as Checkpoint;
    await asOwner(`delete from audit_events where forum_id = 'chronic-pain' and seq >= ${kept.seq - 1}`);
    const verified = await call('POST', '/v1/audit-events/verify', kept);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: false, checkpoint: { seq: kept.seq, ok: false, reason: expect.stringMatching(/deleted/) } });
    // The plain verify compares with the newest stored checkpoint, which still remembers the head.
    const plain = await call('GET', '/v1/audit-events/verify?forum_id=chronic-pain');
    expect(plain.body).toMatchObject({ ok: false, checkpoint: { ok: false } });
  });

  it('refuses a body that is not a checkpoint with 400, and another forum with 404', async () => {
    expect((await call('POST', '/v1/audit-events/verify', { type: 'audit.checkpoint', forum_id: 'chronic-pain' })).status).toBe(400);
    const kept = checkpointsReceived().at(-1)?.body as Checkpoint;
    expect((await call('POST', '/v1/audit-events/verify', { ...kept, forum_id: 'another-forum' })).status).toBe(404);
  });
});

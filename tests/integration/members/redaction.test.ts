import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, decisions, deliveries } from '../../../src/db/schema/index.ts';
import { updateForum } from '../../../src/forums/forums.ts';
import { purgeExpiredText } from '../../../src/privacy/purge-expired-text.ts';
import { callApi } from '../../support/api.ts';
import { eventually } from '../../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../../support/harness.ts';
import { keyFor } from '../../support/seed.ts';

let h: Harness;
let admin: Record<string, string>;

beforeAll(async () => {
  h = await startHarness({ workers: true, receiver: true });
  admin = (await keyFor(h.ctx, 'admin')).headers;
});
afterAll(() => h.close());

const LEAK = 'Her number is 0412 555 019, call and tell her what you think.';

async function post(body: string, extra: Record<string, unknown> = {}) {
  const res = await h.submit(samplePost(body, extra), { query: '?wait=10000' });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    action: string;
    decision_id: string;
    redacted_body: string | null;
    redactions: Array<{ start: number; end: number; kind: string }>;
  };
}

describe('redaction instead of removal', () => {
  it('is off until a forum chooses it, and refuses a policy it cannot repair', async () => {
    expect((await post(LEAK)).action).toBe('hold');
    const bad = await call('PATCH', '/v1/forums/chronic-pain/remedies', { redaction: { policies: ['hostility'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/redaction\.policies: only privacy_leak/);
    expect((await call('PATCH', '/v1/forums/chronic-pain/remedies', { redaction: { policies: ['privacy_leak'] } })).status).toBe(200);
  });

  it('answers redact with the post masked, in the verdict, the callback and the audit trail', async () => {
    const verdict = await post(LEAK);
    expect(verdict.action).toBe('redact');
    expect(verdict.redacted_body).toBe('Her number is [phone removed], call and tell her what you think.');
    expect(verdict.redactions).toEqual([{ start: 14, end: 26, kind: 'phone', replacement: '[phone removed]' }]);

    const callback = await eventually(() =>
      h.receiver.calls.map((c) => JSON.parse(c.body)).find((b) => b.data?.decision_id === verdict.decision_id),
    );
    expect(callback.data).toMatchObject({ action: 'redact', redacted_body: verdict.redacted_body });
    const [decided] = await h.ctx.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, 'decided'), eq(auditEvents.subjectId, verdict.decision_id)));
    expect(decided?.payload).toMatchObject({ action: 'redact', redactions: [{ start: 14, end: 26, kind: 'phone' }] });
    expect(JSON.stringify(decided?.payload)).not.toContain('0412');

    const md = await post('**Jane Miller** lives at 42 Wattle Street, tell her what you think of her 😀', { format: 'markdown' });
    if (md.action === 'redact') expect(md.redacted_body).not.toMatch(/Wattle|Jane Miller/);
  });

  it('holds a post with another problem besides the leak', async () => {
    const verdict = await post('You are a pathetic liar. Her number is 0412 555 019, call and tell her what you think.');
    expect(verdict.action).not.toBe('redact');
    expect(verdict.redacted_body).toBeNull();
  });

  it('loses the redacted body with the rest of the text when the retention period purges it', async () => {
    const verdict = await post(LEAK.replace('0412', '0413'));
    await updateForum(h.ctx.database.db, 'chronic-pain', { retentionDays: 1 }, { actor: 'test' });
    await h.ctx.database.db.execute(sql`update revisions set received_at = received_at - interval '2 days'`);
    await eventually(async () => {
      const [d] = await h.ctx.database.db.select().from(deliveries).where(eq(deliveries.decisionId, verdict.decision_id));
      return d?.status === 'succeeded';
    });
    await purgeExpiredText(h.ctx.database.db);
    const [stored] = await h.ctx.database.db.select().from(decisions).where(eq(decisions.id, verdict.decision_id));
    expect(stored?.remedy?.redacted_body).toBeNull();
    expect(stored?.remedy?.redactions).toHaveLength(1);
    const [sent] = await h.ctx.database.db.select().from(deliveries).where(eq(deliveries.decisionId, verdict.decision_id));
    expect((sent?.payload as { data: { redacted_body: unknown } } | undefined)?.data.redacted_body).toBeNull();
    expect(JSON.stringify(sent?.payload)).not.toContain('tell her what you think');
  });
});

function call(method: string, path: string, body?: unknown) {
  return callApi(h.app, method, path, admin, body);
}

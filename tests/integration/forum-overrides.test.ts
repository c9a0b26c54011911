import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, decisions } from '../../src/db/schema/index.ts';
import { updateForum } from '../../src/forums/forums.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';

describe('per-forum policy overrides', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: true });
  });
  afterAll(() => h.close());

  it('a policy switched off for a forum no longer flags there, and the change is audited', async () => {
    const hostile = 'You are a pathetic liar and everyone here knows it.';
    const before = (await (await h.submit(samplePost(hostile), { query: '?wait=10000' })).json()) as { action: string };
    expect(before.action).not.toBe('allow');

    await updateForum(
      h.ctx.database.db,
      'chronic-pain',
      { policyOverrides: { hostility: { enabled: false } } },
      { allowPrivate: true, actor: 'test' },
    );
    h.ctx.forums.invalidate('chronic-pain');
    const after = (await (await h.submit(samplePost(hostile), { query: '?wait=10000' })).json()) as {
      action: string;
      decision_id: string;
      policies: Array<{ policy: string; flagged: boolean }>;
    };
    expect(after.action).toBe('allow');
    expect(after.policies.find((p) => p.policy === 'hostility')?.flagged).toBe(false);
    const [row] = await h.ctx.database.db.select().from(decisions).where(eq(decisions.id, after.decision_id));
    expect(row?.language).toBe('en');

    const events = await h.ctx.database.db.select().from(auditEvents).where(eq(auditEvents.type, 'forum_updated'));
    expect(events.at(-1)?.payload).toMatchObject({ policy_overrides: { hostility: { enabled: false } } });
  });

  it('invalid overrides are refused with the policy and field named', async () => {
    await expect(
      updateForum(
        h.ctx.database.db,
        'chronic-pain',
        { policyOverrides: { hostility: { flag_at: 3 } } },
        { allowPrivate: true, actor: 'test' },
      ),
    ).rejects.toThrow(/hostility\.flag_at/);
  });
});

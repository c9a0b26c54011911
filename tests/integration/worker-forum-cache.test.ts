import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceForumChange } from '../../src/forums/forum-changes.ts';
import { updateForum } from '../../src/forums/forums.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { Receiver } from '../support/receiver.ts';
import { verifyCallback } from '../support/sign.ts';

// The moderate worker reads its forum from the process's forum cache. A change made by
// `hearth forums update` runs in another process, which cannot invalidate this one's cache: the
// tests below change the forum the same way, without `ctx.forums.invalidate`.

const hostile = 'You are a pathetic liar and everyone here knows it.';
type Verdict = { action: string; post_id: string; policies: Array<{ policy: string; flagged: boolean }> };

describe('a forum cached by the workers, changed from another process', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: true, config: { ingest: { forumCacheTtlMs: 300 } } });
  });
  afterAll(() => h.close());

  it('a policy override reaches the workers once the cached record expires, without a restart', async () => {
    const before = (await (await h.submit(samplePost(hostile), { query: '?wait=10000' })).json()) as Verdict;
    expect(before.action).not.toBe('allow');

    await updateForum(h.ctx.database.db, 'chronic-pain', { policyOverrides: { hostility: { enabled: false } } }, { actor: 'test' });
    const after = await eventually(
      async () => {
        const verdict = (await (await h.submit(samplePost(hostile), { query: '?wait=10000' })).json()) as Verdict;
        return verdict.action === 'allow' ? verdict : undefined;
      },
      15_000,
      'a decision under the new override',
    );
    expect(after.policies.find((p) => p.policy === 'hostility')?.flagged).toBe(false);
  });
});

describe('callback settings are never taken from the cache', () => {
  let h: Harness;
  let moved: Receiver;
  beforeAll(async () => {
    // The default time to live (30 s): the forum stays cached for the whole test.
    h = await startHarness({ workers: true, receiver: true });
    moved = await new Receiver().start();
  });
  afterAll(async () => {
    await h.close();
    await moved.stop();
  });

  it('a new callback URL and secret apply to the very next decision, while the forum is still cached', async () => {
    const first = (await (await h.submit(samplePost(), { query: '?wait=10000' })).json()) as Verdict;
    await h.receiver.waitForCalls(1);
    expect(JSON.parse(h.receiver.calls[0]?.body ?? '{}').data.post_id).toBe(first.post_id);

    const updated = await updateForum(
      h.ctx.database.db,
      'chronic-pain',
      { callbackUrl: moved.url, rotateCallbackSecret: true },
      { allowPrivate: true, actor: 'test' },
    );
    expect(updated.callbackSecret).not.toBe(h.forum.callback_secret);
    const next = (await (await h.submit(samplePost(), { query: '?wait=10000' })).json()) as Verdict;
    const [call] = await moved.waitForCalls(1);
    if (!call) throw new Error('no callback at the new URL');
    expect(JSON.parse(call.body).data.post_id).toBe(next.post_id);
    expect(() => verifyCallback(updated.callbackSecret, call.body, moved.headersOf(call))).not.toThrow();
    expect(() => verifyCallback(h.forum.callback_secret, call.body, moved.headersOf(call))).toThrow();
    expect(h.receiver.calls).toHaveLength(1);
  });
});

describe('a forum change announced by another process', () => {
  let h: Harness;
  beforeAll(async () => {
    // The default time to live (30 s): only the announcement can refresh the record during the test.
    h = await startHarness({ workers: false });
  });
  afterAll(() => h.close());

  it('drops the cached record at once, so the next read sees the change', async () => {
    const cached = await h.ctx.forums.get('chronic-pain');
    expect(cached?.policyOverrides ?? {}).not.toHaveProperty('hostility');
    await updateForum(h.ctx.database.db, 'chronic-pain', { policyOverrides: { hostility: { enabled: false } } }, { actor: 'test' });
    // Unannounced, the change waits for the record to expire.
    expect((await h.ctx.forums.get('chronic-pain'))?.policyOverrides ?? {}).not.toHaveProperty('hostility');

    const { redisUrl, queuePrefix } = h.ctx.config;
    expect(await announceForumChange(redisUrl, queuePrefix, 'chronic-pain')).toBe(true);
    const refreshed = await eventually(
      async () => {
        const forum = await h.ctx.forums.get('chronic-pain');
        return forum?.policyOverrides && 'hostility' in forum.policyOverrides ? forum : undefined;
      },
      5_000,
      'the announced change in the cache',
    );
    expect(refreshed.policyOverrides).toMatchObject({ hostility: { enabled: false } });
  });
});

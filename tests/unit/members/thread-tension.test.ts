import { describe, expect, it } from 'vitest';
import { type ThreadPost, threadAlertSettingsSchema, threadTension } from '../../../src/members/thread-tension.ts';
import type { PolicyId } from '../../../src/moderation/types.ts';

const now = new Date('2026-11-20T21:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
let n = 0;
function post(author: string, replyTo: string | null, flagged: PolicyId[] = [], extra: Partial<ThreadPost> = {}): ThreadPost {
  n++;
  return {
    decisionId: `d-${n}`,
    postId: `p-${n}`,
    authorId: author,
    replyToAuthorId: replyTo,
    receivedAt: minutesAgo(5),
    policies: flagged.map((policy) => ({ policy, score: 0.9, flagged: true, evidence: [], rationale: '' })),
    reviewLabels: null,
    ...extra,
  };
}
const pileOn = threadAlertSettingsSchema.parse({ pile_on: {} });

describe('tense threads', () => {
  it('see a pile-on when three different members turn hostile on the same member within the window', () => {
    const posts = [post('target', null), post('a', 'target', ['hostility']), post('b', 'target', ['hostility'])];
    expect(threadTension(pileOn, posts, now)).toBeNull();
    const third = post('c', 'target', ['hostility']);
    const tension = threadTension(pileOn, [...posts, third], now);
    expect(tension).toMatchObject({ reason: 'pile_on', targetAuthorId: 'target', details: { authors: 3 } });
    expect(tension?.decisionIds).toEqual(['d-2', 'd-3', third.decisionId]);
  });

  it('need different authors, the same target, hostility not overridden, and the window', () => {
    expect(
      threadTension(pileOn, [post('a', 't', ['hostility']), post('a', 't', ['hostility']), post('b', 't', ['hostility'])], now),
    ).toBeNull();
    expect(
      threadTension(pileOn, [post('a', 't', ['hostility']), post('b', 't', ['hostility']), post('c', 'u', ['hostility'])], now),
    ).toBeNull();
    expect(
      threadTension(
        pileOn,
        [post('a', 't', ['hostility']), post('b', 't', ['hostility']), post('c', 't', ['hostility'], { reviewLabels: [] })],
        now,
      ),
    ).toBeNull();
    expect(
      threadTension(
        pileOn,
        [post('a', 't', ['hostility']), post('b', 't', ['hostility']), post('c', 't', ['hostility'], { receivedAt: minutesAgo(61) })],
        now,
      ),
    ).toBeNull();
    expect(
      threadTension(pileOn, [post('a', 't', ['misinformation']), post('b', 't', ['hostility']), post('c', 't', ['hostility'])], now),
    ).toBeNull();
    // A member answering their own thread is not piling on themselves.
    expect(
      threadTension(pileOn, [post('t', 't', ['hostility']), post('b', 't', ['hostility']), post('c', 't', ['hostility'])], now),
    ).toBeNull();
  });

  it("see a thread whose share of flagged posts crosses the forum's threshold, crisis posts aside", () => {
    const settings = threadAlertSettingsSchema.parse({ flagged_share: { share: 0.5, min_posts: 4 } });
    const calm = [post('a', null), post('b', null)];
    expect(threadTension(settings, [...calm, post('c', null, ['misinformation'])], now)).toBeNull(); // 3 posts < min_posts
    expect(threadTension(settings, [...calm, post('c', null, ['self_harm']), post('d', null, ['self_harm'])], now)).toBeNull();
    const tense = threadTension(settings, [...calm, post('c', null, ['misinformation']), post('d', null, ['hostility'])], now);
    expect(tense).toMatchObject({ reason: 'flagged_share', targetAuthorId: null, details: { posts: 4, flagged: 2, share: 0.5 } });
  });

  it('refuse settings that are empty or out of range, naming the field', () => {
    expect(threadAlertSettingsSchema.safeParse({}).success).toBe(false);
    const bad = threadAlertSettingsSchema.safeParse({ pile_on: { authors: 1 }, flagged_share: { share: 1.5 } });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['pile_on.authors', 'flagged_share.share']);
  });
});

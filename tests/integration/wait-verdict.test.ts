import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../support/api.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { keyFor } from '../support/seed.ts';

describe('?wait answers the verdict in force', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: true });
  });
  afterAll(() => h.close());

  it("answers a re-sent post with the moderator's action after an override, as the verdict route does", async () => {
    const post = samplePost('You are a pathetic liar and everyone here knows it.');
    const first = await h.submit(post, { query: '?wait=10000' });
    expect(first.status).toBe(200);
    const decided = (await first.json()) as { decision_id: string; action: string; review: unknown };
    expect(decided.action).not.toBe('allow');
    expect(decided.review).toBeNull();

    const sam = (await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'sam' })).headers;
    const override = await callApi(h.app, 'POST', `/v1/decisions/${decided.decision_id}/reviews`, sam, {
      outcome: 'override',
      action: 'allow',
      labels: [],
      note: 'Banter between two old friends.',
    });
    expect(override.status).toBe(201);

    // The same post again: the same submission, its job kept by BullMQ after it finished.
    const again = await h.submit(post, { query: '?wait=10000' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      decision_id: decided.decision_id,
      action: 'allow',
      decided_action: decided.action,
      review: { outcome: 'override', action: 'allow', previous_action: decided.action, reviewer: 'sam' },
    });
  });
});

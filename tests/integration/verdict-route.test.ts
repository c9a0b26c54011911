import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, type JsonBody } from '../support/api.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { keyFor, seedDecision } from '../support/seed.ts';
import { forumHeaders } from '../support/sign.ts';

let h: Harness;
let admin: Record<string, string>;
let sam: Record<string, string>;

beforeAll(async () => {
  h = await startHarness();
  admin = (await keyFor(h.ctx, 'admin')).headers;
  sam = (await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'sam' })).headers;
});
afterAll(() => h.close());

/** The verdict route as a key holder and as the forum itself (signed with its ingest secret) see it. */
async function verdictBoth(postId: string): Promise<{ byKey: JsonBody; bySignature: JsonBody }> {
  const path = `/v1/forums/chronic-pain/posts/${postId}/verdict`;
  const byKey = await callApi(h.app, 'GET', path, admin);
  const bySignature = await callApi(h.app, 'GET', path, forumHeaders(h.forum.ingest_secret, path));
  expect(byKey.status).toBe(200);
  expect(bySignature.status).toBe(200);
  return { byKey: byKey.body, bySignature: bySignature.body };
}

describe('the verdict route answers the action in force', () => {
  it("answers the moderator's action after an override, with the review, to keys and forum signatures alike", async () => {
    const held = await seedDecision(h.ctx, {
      postId: 'v-held',
      action: 'hold',
      flagged: [{ policy: 'unsafe_medical_advice', score: 0.84 }],
    });
    const before = await verdictBoth('v-held');
    for (const v of [before.byKey, before.bySignature]) {
      expect(v).toMatchObject({ decision_id: held.id, action: 'hold', decided_action: 'hold', review: null });
    }

    const override = await callApi(h.app, 'POST', `/v1/decisions/${held.id}/reviews`, sam, {
      outcome: 'override',
      action: 'allow',
      labels: [],
      note: 'Her own taper, agreed with her GP.',
    });
    expect(override.status).toBe(201);

    const after = await verdictBoth('v-held');
    for (const v of [after.byKey, after.bySignature]) {
      expect(v).toMatchObject({
        decision_id: held.id,
        post_id: 'v-held',
        action: 'allow',
        decided_action: 'hold',
        review: {
          outcome: 'override',
          action: 'allow',
          previous_action: 'hold',
          reviewer: 'sam',
          reviewed_at: override.body.review.created_at,
          labels: [],
        },
      });
      // What Hearth decided is still there beside the moderator's action.
      expect(v.policies.find((p: { policy: string }) => p.policy === 'unsafe_medical_advice')).toMatchObject({ flagged: true });
    }
    expect(after.bySignature).toEqual(after.byKey);
  });

  it('reports the newest of several reviews, with the action the one before it put in force', async () => {
    const d = await seedDecision(h.ctx, { postId: 'v-twice', action: 'review', flagged: [{ policy: 'hostility', score: 0.7 }] });
    await callApi(h.app, 'POST', `/v1/decisions/${d.id}/reviews`, sam, { outcome: 'override', action: 'hold', labels: ['hostility'] });
    const second = await callApi(h.app, 'POST', `/v1/decisions/${d.id}/reviews`, sam, {
      outcome: 'override',
      action: 'remove',
      labels: ['hostility'],
    });
    expect(second.status).toBe(201);
    const { byKey } = await verdictBoth('v-twice');
    expect(byKey).toMatchObject({
      action: 'remove',
      decided_action: 'review',
      review: { outcome: 'override', action: 'remove', previous_action: 'hold', labels: ['hostility'] },
    });
  });

  it('keeps the action on a confirm, and shows the confirm', async () => {
    const d = await seedDecision(h.ctx, { postId: 'v-confirm', action: 'hold', flagged: [{ policy: 'privacy_leak', score: 0.9 }] });
    expect((await callApi(h.app, 'POST', `/v1/decisions/${d.id}/reviews`, sam, { outcome: 'confirm' })).status).toBe(201);
    const { bySignature } = await verdictBoth('v-confirm');
    expect(bySignature).toMatchObject({
      action: 'hold',
      decided_action: 'hold',
      review: { outcome: 'confirm', action: 'hold', previous_action: 'hold', reviewer: 'sam', labels: ['privacy_leak'] },
    });
  });

  it("answers the newest revision's verdict: a review of an earlier revision is not in force for an edit", async () => {
    const first = await seedDecision(h.ctx, { postId: 'v-edited', action: 'hold', flagged: [{ policy: 'hostility', score: 0.9 }] });
    await callApi(h.app, 'POST', `/v1/decisions/${first.id}/reviews`, sam, { outcome: 'override', action: 'allow', labels: [] });
    const edit = await seedDecision(h.ctx, {
      postId: 'v-edited',
      body: 'Edited: you are all idiots.',
      action: 'hold',
      flagged: [{ policy: 'hostility', score: 0.95 }],
    });
    const { byKey } = await verdictBoth('v-edited');
    expect(byKey).toMatchObject({ decision_id: edit.id, revision: 2, action: 'hold', decided_action: 'hold', review: null });
  });
});

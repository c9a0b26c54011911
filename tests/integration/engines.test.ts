import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisions } from '../../src/db/schema/index.ts';
import { hmacSha256Matches } from '../../src/engines/engine.ts';
import { updateForum } from '../../src/forums/forums.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { Receiver } from '../support/receiver.ts';

/** Real engine payloads (fictional content) with their real signatures, sent byte for byte. */
const fixture = (name: string) => readFileSync(new URL(`../fixtures/webhooks/${name}`, import.meta.url), 'utf8');
const headersOf = (name: string) => JSON.parse(fixture(name)) as Record<string, string>;
const discourseSecret = fixture('discourse.SECRET.txt').trim();
const mastodonSecret = fixture('mastodon.SECRET.txt').trim();

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ workers: true, callbackUrl: null });
  await updateForum(
    h.ctx.database.db,
    'chronic-pain',
    { integrations: { discourse: { secret: discourseSecret }, mastodon: { secret: mastodonSecret } } },
    { actor: 'test' },
  );
  h.ctx.forums.invalidate('chronic-pain');
});
afterAll(() => h.close());

/** Sends exactly what the engine sent: the same bytes, the same headers (minus transport ones). */
function send(engine: string, body: string, headers: Record<string, string>, forumId = 'chronic-pain') {
  const kept = Object.fromEntries(
    Object.entries(headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k.toLowerCase())),
  );
  return h.app.request(`/v1/hooks/${engine}/${forumId}`, { method: 'POST', body, headers: kept });
}

function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function decisionFor(postId: string) {
  return eventually(async () => {
    const [row] = await h.ctx.database.db
      .select()
      .from(decisions)
      .where(and(eq(decisions.forumId, 'chronic-pain'), eq(decisions.postId, postId)));
    return row;
  }, 15_000);
}

describe('Discourse webhooks', () => {
  it("verifies Discourse's own signature test vector", () => {
    const vector = JSON.parse(fixture('discourse.ping.testvector.json')) as { secret: string; body: string; expected_signature: string };
    expect(hmacSha256Matches(vector.expected_signature, vector.secret, vector.body)).toBe(true);
    expect(hmacSha256Matches(vector.expected_signature, 'another secret', vector.body)).toBe(false);
  });

  it('moderates post_created as Discourse sends it, mapping raw markdown, author, topic and post number', async () => {
    const body = fixture('discourse.post_created.body.json');
    const res = await send('discourse', body, headersOf('discourse.post_created.headers.json'));
    expect(res.status).toBe(202);
    const { submission_id } = (await res.json()) as { submission_id: string };
    // "I'm going to quit tomorrow" names a time: the crisis check sends it to the lane (a false alarm costs only order).
    const job = await h.ctx.queues.moderateUrgent.getJob(submission_id);
    expect(job?.data.post).toMatchObject({
      id: '48213',
      author: { id: '1402', name: 'jo_fibro' },
      thread_id: '7731',
      format: 'markdown',
      body: expect.stringMatching(/^Has anyone tried just stopping gabapentin cold turkey\?/),
      created_at: '2026-11-20T14:03:11.482Z',
      metadata: {
        engine: 'discourse',
        instance: 'https://forum.example.org',
        topic_id: 7731,
        post_number: 4,
        reply_to_post_number: 2,
        topic_archetype: 'regular',
      },
    });
    expect(job?.data.post.title).toBeUndefined();
    const decision = await decisionFor('48213');
    expect(decision?.policies.find((p) => p.policy === 'unsafe_medical_advice')?.flagged).toBe(true);
  });

  it('absorbs a redelivery (the same signed body), and takes post_edited as a new revision', async () => {
    const body = fixture('discourse.post_created.body.json');
    const headers = headersOf('discourse.post_created.headers.json');
    const [first, again] = [await send('discourse', body, headers), await send('discourse', body, headers)];
    expect(await again.json()).toEqual(await first.json());

    const edited = await send('discourse', fixture('discourse.post_edited.body.json'), headersOf('discourse.post_edited.headers.json'));
    expect(edited.status).toBe(202);
    await eventually(async () => {
      const rows = await h.ctx.database.db
        .select()
        .from(decisions)
        .where(and(eq(decisions.forumId, 'chronic-pain'), eq(decisions.postId, '48213')));
      return rows.some((r) => r.revision === 2);
    }, 15_000);
  });

  it('keys replays on the signed body: a replay under the next X-Discourse-Event-Id cannot make that real event be refused', async () => {
    const captured = fixture('discourse.post_created.body.json');
    const headers = headersOf('discourse.post_created.headers.json');
    // The attacker replays a captured, validly signed body under the id the next real event will carry.
    const replay = await send('discourse', captured, { ...headers, 'X-Discourse-Event-Id': '93001' });
    expect([200, 202]).toContain(replay.status);
    const next = JSON.parse(captured);
    next.post.id = 48777;
    next.post.raw = 'Day three of the new pacing plan. Small wins: a walk to the corner shop.';
    const nextBody = JSON.stringify(next);
    const real = await send('discourse', nextBody, {
      ...headers,
      'X-Discourse-Event-Id': '93001',
      'X-Discourse-Event-Signature': sign(nextBody, discourseSecret),
    });
    expect(real.status).toBe(202);
    expect((await decisionFor('48777'))?.postId).toBe('48777');
  });

  it('refuses a wrong or missing signature, and a forum without a Discourse secret', async () => {
    const body = fixture('discourse.post_created.body.json');
    const headers = headersOf('discourse.post_created.headers.json');
    const tampered = await send('discourse', body.replace('cold turkey', 'slowly, with my GP'), headers);
    expect(tampered.status).toBe(401);
    const { 'X-Discourse-Event-Signature': _, ...unsigned } = headers;
    expect((await send('discourse', body, unsigned)).status).toBe(401);
    await h.ctx.database.sql`insert into forums (id, name, ingest_secret, callback_secret) values ('plain', 'plain', 'whsec_x', 'whsec_y')`;
    const noSecret = await send('discourse', body, headers, 'plain');
    expect(noSecret.status).toBe(401);
    expect(((await noSecret.json()) as { error: { message: string } }).error.message).toMatch(/--discourse-secret/);
    expect((await send('vanilla', body, headers)).status).toBe(404);
  });

  it('answers 200 to events it does not moderate, queueing nothing', async () => {
    const before = await h.ctx.queues.moderate.count();
    const ping = '{"ping":"OK"}';
    const res = await send('discourse', ping, {
      'Content-Type': 'application/json',
      'X-Discourse-Event': 'ping',
      'X-Discourse-Event-Type': 'ping',
      'X-Discourse-Event-Signature': sign(ping, discourseSecret),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ignored' });
    expect(await h.ctx.queues.moderate.count()).toBe(before);
  });

  it('scores private messages for privacy and hostility only (and crisis signals, always)', async () => {
    const post = JSON.parse(fixture('discourse.post_created.body.json'));
    post.post.id = 48999;
    post.post.topic_archetype = 'private_message';
    const body = JSON.stringify(post);
    const res = await send('discourse', body, {
      ...headersOf('discourse.post_created.headers.json'),
      'X-Discourse-Event-Id': '91000',
      'X-Discourse-Event-Signature': sign(body, discourseSecret),
    });
    expect(res.status).toBe(202);
    const { submission_id } = (await res.json()) as { submission_id: string };
    expect((await h.ctx.queues.moderateUrgent.getJob(submission_id))?.data.onlyPolicies).toEqual(['privacy_leak', 'hostility']);
    const decision = await decisionFor('48999');
    // The same words as the public post, but unsafe advice is not what a private message is held for.
    expect(decision?.policies.find((p) => p.policy === 'unsafe_medical_advice')).toMatchObject({
      flagged: false,
      rationale: 'switched off for this forum',
    });
    expect(decision?.policies.find((p) => p.policy === 'self_harm')?.rationale).not.toBe('switched off for this forum');
  });

  it('refuses a body Discourse would not send', async () => {
    const body = '{"post":{"id":"not a number"}}';
    const res = await send('discourse', body, {
      'X-Discourse-Event': 'post_created',
      'X-Discourse-Event-Signature': sign(body, discourseSecret),
    });
    expect(res.status).toBe(400);
  });
});

describe('Mastodon admin webhooks', () => {
  it('moderates status.created as Mastodon sends it, HTML and all', async () => {
    const res = await send('mastodon', fixture('mastodon.status_created.body.json'), headersOf('mastodon.status_created.headers.json'));
    expect(res.status).toBe(202);
    const { submission_id } = (await res.json()) as { submission_id: string };
    const job = await h.ctx.queues.moderate.getJob(submission_id);
    expect(job?.data.post).toMatchObject({
      id: '113502233445566778',
      author: { id: '109876543210', name: 'flarediary' },
      format: 'html',
      metadata: { engine: 'mastodon', visibility: 'public' },
    });
    const decision = await decisionFor('113502233445566778');
    expect(decision?.policies.find((p) => p.policy === 'privacy_leak')?.flagged).toBe(true);
    expect(decision?.action).not.toBe('allow');
  });

  it('refuses a wrong signature and ignores account events', async () => {
    const body = fixture('mastodon.status_created.body.json');
    expect((await send('mastodon', body, { 'X-Hub-Signature': sign(body, 'not the secret at all') })).status).toBe(401);
    const account = '{"event":"account.created","created_at":"2026-11-20T14:05:00.812Z","object":{"id":"1"}}';
    const res = await send('mastodon', account, { 'X-Hub-Signature': sign(account, mastodonSecret) });
    expect(res.status).toBe(200);
  });
});

describe('acting back on Discourse', () => {
  it('flags a held post into the review queue and hides a removed one, through the API, retried like callbacks', async () => {
    const discourse = await new Receiver([500]).start();
    try {
      const base = discourse.url.replace(/\/hearth$/, '');
      await h.ctx.database
        .sql`insert into forums (id, name, ingest_secret, callback_secret) values ('disco', 'disco', 'whsec_x', 'whsec_y')`;
      await updateForum(
        h.ctx.database.db,
        'disco',
        {
          integrations: { discourse: { secret: discourseSecret, base_url: base, api_key: 'test-api-key', api_username: 'hearth-bot' } },
          // This forum holds whatever it flags for unsafe advice.
          policyOverrides: { unsafe_medical_advice: { thresholds: [{ min: 0.5, action: 'hold' }] } },
        },
        { actor: 'test', allowPrivate: true },
      );
      const body = fixture('discourse.post_created.body.json');
      expect((await send('discourse', body, headersOf('discourse.post_created.headers.json'), 'disco')).status).toBe(202);
      // The first call fails (500); the retry gets through.
      const [failed, flagged] = await discourse.waitForCalls(2);
      expect(failed?.status).toBe(500);
      expect(flagged?.path).toBe('/post_actions.json');
      expect(flagged?.headers['api-key']).toBe('test-api-key');
      expect(flagged?.headers['api-username']).toBe('hearth-bot');
      expect(JSON.parse(flagged?.body ?? '{}')).toMatchObject({
        id: 48213,
        post_action_type_id: 7,
        flag_topic: false,
        message: expect.stringMatching(/^Hearth held this post for review\. unsafe_medical_advice/),
      });

      // Now the forum removes instead: the next post is flagged with take_action, which hides it.
      await updateForum(
        h.ctx.database.db,
        'disco',
        { policyOverrides: { unsafe_medical_advice: { thresholds: [{ min: 0.5, action: 'remove' }] } } },
        { actor: 'test' },
      );
      // Workers read the forum from the process's cache, as after a change made in this process.
      h.ctx.forums.invalidate('disco');
      const another = JSON.parse(body);
      another.post.id = 48300;
      // Removal needs strong evidence: a directive to others, not a member's own plan.
      another.post.raw = 'Just stop your gabapentin cold turkey, you do not need a taper.';
      another.post.cooked = `<p>${another.post.raw}</p>`;
      const anotherBody = JSON.stringify(another);
      const headers = {
        ...headersOf('discourse.post_created.headers.json'),
        'X-Discourse-Event-Id': '92000',
        'X-Discourse-Event-Signature': sign(anotherBody, discourseSecret),
      };
      expect((await send('discourse', anotherBody, headers, 'disco')).status).toBe(202);
      const [, , hidden] = await discourse.waitForCalls(3);
      expect(JSON.parse(hidden?.body ?? '{}')).toEqual({ id: 48300, post_action_type_id: 4, flag_topic: false, take_action: true });
      // Both recorded as delivered (the last one a moment after the fake API answered).
      await eventually(async () => {
        const [row] = await h.ctx.database
          .sql`select count(*)::int as n from deliveries where forum_id = 'disco' and event_type = 'discourse.action' and status = 'succeeded'`;
        return row?.n === 2;
      });
    } finally {
      await discourse.stop();
    }
  });
});

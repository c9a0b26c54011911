import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfig, type Config } from '../../src/config/config.ts';
import type { Database } from '../../src/db/client.ts';
import type { ForumSecrets } from '../../src/forums/forums.ts';
import { eventually } from '../support/eventually.ts';
import { faultConfig, startFaultStack } from '../support/fault-stack.ts';
import { killed, spawnHearth } from '../support/hearth-process.ts';
import { ordinaryPostTexts } from '../support/ordinary-posts.ts';
import type { PrivatePostgres, PrivateRedis } from '../support/private-servers.ts';
import { Receiver } from '../support/receiver.ts';
import { forumHeaders } from '../support/sign.ts';

/**
 * The forum's callback endpoint down for ten minutes, then back: every verdict is delivered,
 * exactly once successfully, and every attempt of a delivery carries its one `webhook-id`.
 *
 * Simulated time. The workers run the production delivery schedule (`callbacks.backoffMs`
 * 30 s doubling with 50-100% jitter, `callbacks.attempts` 10: retries at most ½, 1½, 3½, 7½,
 * 15½ minutes... after the first attempt and at least half that, the last one 2 to 4 hours in)
 * scaled down 60 times, so the base is 500 ms and
 * one second of real time stands for one minute of that schedule. Moderation and HTTP run at
 * their real speed; at this scale a millisecond of them is 60 ms of schedule, which is noise.
 *
 * The endpoint answers 503 while 300 posts are sent and decided (each verdict's first attempt
 * fails). From the moment every first attempt has failed it stays down ten more simulated
 * minutes: 503 for three, refusing connections for three, 503 again for four. Then it answers
 * 200. So every delivery meets at least ten minutes of outage; the earliest ones also meet the
 * time the posts took to be decided (18 simulated minutes on a busy 2-core machine). A delivery
 * gives up no earlier than about 2 hours 8 minutes after its first attempt (the first test), so
 * only a machine that took far longer to decide 300 posts could exhaust one.
 */
const SCALE = 60;
const PRODUCTION = buildConfig().callbacks;
const MINUTE = 60_000 / SCALE;
const POSTS = 300;
const texts = ordinaryPostTexts;

let pg: PrivatePostgres;
let redis: PrivateRedis;
let endpointDown = true;
const receiver = new Receiver(() => (endpointDown ? 503 : 200));
let callbackPort = 0;
let db: Database;
let forum: ForumSecrets;
let config: Config;
let apiUrl = '';
const processes: ChildProcess[] = [];
const figures = {
  scale: `${SCALE}x: 1 s real is 1 min of the production schedule (${PRODUCTION.backoffMs / 1000} s doubling, ${PRODUCTION.attempts} attempts)`,
  posts: 0,
  accepted: 0,
  outageMinutes: { total: 0, leastMetByADelivery: 0 },
  attemptsDuringOutage: 0,
  refused: 0,
  answered503: 0,
  attemptsPerDelivery: { max: 0, median: 0 },
  deliveredWithinMinutesOfRecovery: 0,
  delivered: 0,
  lost: 0,
  duplicated: 0,
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const minutes = (ms: number) => Math.round((ms / MINUTE) * 10) / 10;

beforeAll(async () => {
  await receiver.start();
  callbackPort = Number(new URL(receiver.url).port);
  const stack = await startFaultStack('hearth_callback_outage', receiver.url);
  ({ pg, redis, db, forum } = stack);
  config = faultConfig(stack, {
    workers: { deliverConcurrency: 16 },
    // The production schedule, scaled: same attempts, backoff base divided by SCALE.
    callbacks: { backoffMs: PRODUCTION.backoffMs / SCALE, attempts: PRODUCTION.attempts },
  });
  const api = await spawnHearth('api', config);
  processes.push(api.child);
  apiUrl = `http://127.0.0.1:${api.port}`;
  processes.push(...(await Promise.all([spawnHearth('workers', config), spawnHearth('workers', config)])).map((w) => w.child));
}, 300_000);

afterAll(async () => {
  process.stdout.write(`callback outage figures: ${JSON.stringify(figures)}\n`);
  for (const child of processes) await killed(child);
  await db?.close().catch(() => {});
  await receiver.stop();
  await redis?.destroy();
  pg?.destroy();
});

/** Sends one post as a forum does: retried with the same webhook-id and body until accepted. */
async function sendPost(i: number): Promise<void> {
  const body = JSON.stringify({
    id: `outage-${i}`,
    author: { id: `m-${i % 31}`, name: 'Member' },
    body: `${texts[i % texts.length]} (${i})`,
  });
  figures.posts++;
  for (let attempt = 0; attempt < 50; attempt++) {
    const status = await fetch(`${apiUrl}/v1/forums/chronic-pain/posts`, {
      method: 'POST',
      body,
      headers: forumHeaders(forum.ingest_secret, body, { id: `msg_outage_${i}` }),
    })
      .then(async (res) => {
        await res.text();
        return res.status;
      })
      .catch(() => 0);
    if (status === 202 || status === 200) {
      figures.accepted++;
      return;
    }
    if (status >= 400 && status < 500) throw new Error(`post ${i} refused with ${status}`);
    await sleep(200);
  }
  throw new Error(`post ${i} never accepted`);
}

async function count(query: string): Promise<number> {
  const [row] = await db.sql.unsafe(query);
  return Number(row?.n ?? 0);
}

interface Attempt {
  delivery_id: string;
  post_id: string;
  webhook_id: string;
  status_code: number | null;
  /** When the attempt started, in epoch milliseconds. */
  started_ms: number;
}

describe('the callback endpoint down for ten minutes of simulated time', () => {
  it('the production schedule outlasts ten minutes even with the shortest jitter', () => {
    // BullMQ's exponential backoff with jitter 0.5 (src/jobs/queues.ts) waits between half and
    // all of backoffMs * 2^(n-1) after the nth attempt.
    let earliestLastAttemptMs = 0;
    for (let n = 1; n < PRODUCTION.attempts; n++) earliestLastAttemptMs += (PRODUCTION.backoffMs * 2 ** (n - 1)) / 2;
    expect(earliestLastAttemptMs).toBeGreaterThan(10 * 60_000);
  });

  it('300 verdicts: all delivered once, each under one webhook-id, after an outage they all met', async () => {
    const outageStart = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < POSTS) await sendPost(next++);
      }),
    );
    expect(figures.accepted).toBe(POSTS);
    await eventually(
      async () => (await count("select count(*) as n from deliveries where event_type = 'verdict.created' and attempts >= 1")) >= POSTS,
      300_000,
      "every verdict's first attempt",
    );
    // Ten simulated minutes from here: 503, then connections refused, then 503 again.
    await sleep(3 * MINUTE);
    const refusedFrom = Date.now();
    await receiver.stop();
    await sleep(3 * MINUTE);
    await receiver.start(callbackPort);
    const refusedUntil = Date.now();
    await sleep(4 * MINUTE);
    endpointDown = false;
    const outageEnd = Date.now();

    const deliveredPosts = () =>
      new Set(
        verdictCalls()
          .filter((c) => c.status === 200)
          .map((c) => c.postId),
      );
    await eventually(() => deliveredPosts().size >= POSTS, 240_000, 'every verdict delivered after the outage');
    const recoveredAt = Date.now();
    await eventually(
      async () => (await count("select count(*) as n from deliveries where status = 'pending'")) === 0,
      30_000,
      'no delivery pending',
    );

    const attempts = (await db.sql.unsafe(
      `select d.id as delivery_id, d.payload->'data'->>'post_id' as post_id, d.webhook_id, a.status_code,
              (extract(epoch from a.started_at) * 1000)::float8 as started_ms
         from deliveries d join delivery_attempts a on a.delivery_id = d.id
        where d.event_type = 'verdict.created' order by a.started_at`,
    )) as unknown as Attempt[];
    const failed = attempts.filter((a) => a.status_code !== 200);
    const byDelivery = new Map<string, Attempt[]>();
    for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
    const perDelivery = [...byDelivery.values()].map((list) => list.length).sort((a, b) => a - b);
    const firstAttempts = [...byDelivery.values()].map((list) => (list[0] as Attempt).started_ms);

    figures.outageMinutes = {
      total: minutes(outageEnd - outageStart),
      leastMetByADelivery: minutes(outageEnd - Math.max(...firstAttempts)),
    };
    figures.attemptsDuringOutage = failed.length;
    figures.refused = failed.filter((a) => a.status_code === null).length;
    figures.answered503 = verdictCalls().filter((c) => c.status === 503).length;
    figures.attemptsPerDelivery = { max: perDelivery.at(-1) ?? 0, median: perDelivery[Math.floor(perDelivery.length / 2)] ?? 0 };
    figures.deliveredWithinMinutesOfRecovery = minutes(recoveredAt - outageEnd);
    figures.delivered = deliveredPosts().size;
    const successes = verdictCalls().filter((c) => c.status === 200).length;
    figures.duplicated = successes - figures.delivered + (await count('select count(*) - count(distinct revision_id) as n from decisions'));
    figures.lost = POSTS - figures.delivered;

    // Nothing lost, nothing doubled: one decision and one verdict delivered per post.
    expect(figures.delivered).toBe(POSTS);
    expect(figures.duplicated).toBe(0);
    expect(await count('select count(distinct post_id) as n from decisions')).toBe(POSTS);
    expect(await count("select count(*) as n from deliveries where event_type = 'verdict.created' and status = 'succeeded'")).toBe(POSTS);
    // The outage really happened to every delivery: each failed before it succeeded, every
    // failure fell inside the outage, and each met at least ten simulated minutes of it.
    expect(byDelivery.size).toBe(POSTS);
    for (const list of byDelivery.values()) {
      expect(list.filter((a) => a.status_code === 200)).toHaveLength(1);
      expect(list.at(-1)?.status_code).toBe(200);
      expect(list[0]?.status_code).not.toBe(200);
    }
    expect(failed.every((a) => a.started_ms >= outageStart && a.started_ms <= outageEnd)).toBe(true);
    expect(figures.outageMinutes.leastMetByADelivery).toBeGreaterThanOrEqual(10);
    // Connections were refused, and only while the endpoint was not listening (with a second's
    // slack for an attempt started just before it stopped).
    expect(figures.refused).toBeGreaterThan(0);
    expect(
      failed.filter((a) => a.status_code === null).every((a) => a.started_ms >= refusedFrom - 1000 && a.started_ms <= refusedUntil),
    ).toBe(true);
    // The receiver saw every 503 the workers recorded (and perhaps a few more whose answer was
    // cut off as it stopped listening).
    const recorded503 = failed.filter((a) => a.status_code === 503).length;
    expect(figures.answered503).toBeGreaterThanOrEqual(recorded503);
    expect(figures.answered503).toBeLessThanOrEqual(recorded503 + figures.refused);

    // Every attempt of a delivery, failed ones included, carried the delivery's one webhook-id.
    const webhookIdOf = new Map(attempts.map((a) => [a.post_id, a.webhook_id]));
    const idsByPost = new Map<string, Set<string>>();
    for (const c of verdictCalls()) idsByPost.set(c.postId, (idsByPost.get(c.postId) ?? new Set()).add(c.webhookId));
    expect(idsByPost.size).toBe(POSTS);
    for (const [postId, ids] of idsByPost) expect([...ids]).toEqual([webhookIdOf.get(postId)]);
  });
});

/** The verdict callbacks the receiver answered, with the post and the `webhook-id` of each. */
function verdictCalls(): Array<{ postId: string; webhookId: string; status: number }> {
  return receiver.calls.flatMap((c) => {
    const body = JSON.parse(c.body) as { type: string; data: { post_id: string } };
    return body.type === 'verdict.created'
      ? [{ postId: body.data.post_id, webhookId: String(c.headers['webhook-id']), status: c.status }]
      : [];
  });
}

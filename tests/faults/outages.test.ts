import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
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
 * The fault suite: real API and worker processes on a PostgreSQL and a Redis of the test's own
 * (other ports, a temporary directory), while 5,000 posts flow. Worker processes are killed with
 * SIGKILL again and again; Redis is restarted with its data; PostgreSQL is stopped for 10 s and
 * for 60 s. Then, with the forum's callback endpoint down, Redis is restarted empty. Afterwards
 * every accepted post has exactly one decision and its verdict was delivered, each decision under
 * one webhook-id. Prints its figures.
 */
const POSTS = 5000;
const LATE_POSTS = 50;
const texts = ordinaryPostTexts;

let pg: PrivatePostgres;
let redis: PrivateRedis;
let receiver: Receiver;
/** Callbacks a receiver got before it was stopped. */
const earlierCalls: Receiver['calls'] = [];
let callbackPort = 0;
let db: Database;
let forum: ForumSecrets;
let config: Config;
let api: { child: ChildProcess; url: string };
const workers: ChildProcess[] = [];
const figures = {
  sent: 0,
  accepted: 0,
  answers: {} as Record<string, number>,
  duringPgOutage: {} as Record<string, number>,
  workerKills: 0,
  redisRestarts: 0,
  pgOutagesSeconds: [] as number[],
  decided: 0,
  delivered: 0,
  lost: 0,
  duplicated: 0,
};
let pgDown = false;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  receiver = await new Receiver().start();
  callbackPort = Number(new URL(receiver.url).port);
  const stack = await startFaultStack('hearth_faults', receiver.url);
  ({ pg, redis, db, forum } = stack);
  config = faultConfig(stack, { schedulesCheckMs: 1000, callbacks: { backoffMs: 500, attempts: 10 } });
  const started = await spawnHearth('api', config);
  api = { child: started.child, url: `http://127.0.0.1:${started.port}` };
  for (let i = 0; i < 2; i++) workers.push((await spawnHearth('workers', config)).child);
}, 300_000);

afterAll(async () => {
  process.stdout.write(`fault figures: ${JSON.stringify(figures)}\n`);
  for (const child of [api?.child, ...workers]) if (child) await killed(child);
  await db?.close().catch(() => {});
  await receiver?.stop();
  await redis?.destroy();
  pg?.destroy();
});

/** Sends one post as a forum does: retried with the same webhook-id and body until accepted. */
async function sendPost(i: number): Promise<void> {
  const post = { id: `fault-${i}`, author: { id: `m-${i % 97}`, name: 'Member' }, body: `${texts[i % texts.length]} (day ${i})` };
  const body = JSON.stringify(post);
  const id = `msg_fault_${i}`;
  figures.sent++;
  const deadline = Date.now() + 240_000;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    let status = 0;
    try {
      const res = await fetch(`${api.url}/v1/forums/chronic-pain/posts`, {
        method: 'POST',
        body,
        headers: forumHeaders(forum.ingest_secret, body, { id }),
      });
      status = res.status;
      await res.text();
    } catch {
      status = 0;
    }
    figures.answers[status] = (figures.answers[status] ?? 0) + 1;
    if (pgDown) figures.duringPgOutage[status] = (figures.duringPgOutage[status] ?? 0) + 1;
    if (status === 202 || status === 200) {
      figures.accepted++;
      return;
    }
    if (status >= 400 && status < 500 && status !== 429) throw new Error(`post ${i} refused with ${status}`);
    await sleep(100 * Math.min(attempt + 1, 10));
  }
  throw new Error(`post ${i} never accepted`);
}

async function sendAll(from: number, to: number, concurrency: number): Promise<void> {
  let next = from;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < to) await sendPost(next++);
    }),
  );
}

async function count(query: string): Promise<number> {
  const [row] = await db.sql.unsafe(query);
  return Number(row?.n ?? 0);
}

describe('faults under load', () => {
  it('5,000 posts through worker kills, a Redis restart and PostgreSQL outages: none lost, none decided twice, all delivered', async () => {
    let sending = true;
    // SIGKILL a worker every 3 s and start another, for as long as posts are sent and decided.
    const killer = (async () => {
      for (let k = 0; sending; k++) {
        await sleep(3000);
        if (!sending) break;
        const victim = workers[k % workers.length] as ChildProcess;
        await killed(victim);
        figures.workerKills++;
        workers[k % workers.length] = (await spawnHearth('workers', config)).child;
      }
    })();
    const chaos = (async () => {
      await eventually(() => figures.accepted >= 1000, 300_000, '1,000 posts accepted');
      await redis.restart({ keepData: true });
      figures.redisRestarts++;
      for (const [at, seconds] of [
        [2000, 10],
        [3000, 60],
      ] as const) {
        await eventually(() => figures.accepted >= at, 300_000, `${at} posts accepted`);
        pgDown = true;
        pg.stop();
        await sleep(seconds * 1000);
        pg.start();
        pgDown = false;
        figures.pgOutagesSeconds.push(seconds);
      }
    })();
    await sendAll(0, POSTS, 16);
    await chaos;
    expect(figures.accepted).toBe(POSTS);
    // While PostgreSQL was down, ingest kept answering 202 from the forum record it had.
    expect(Object.keys(figures.duringPgOutage).filter((s) => s !== '202')).toEqual([]);

    await eventually(
      async () => (await count('select count(distinct post_id) as n from decisions')) >= POSTS,
      900_000,
      'every post decided',
    );
    // Workers were killed for as long as the posts were being decided.
    sending = false;
    await killer;
    const deliveredPosts = () =>
      new Set(
        [...earlierCalls, ...receiver.calls]
          .filter((c) => c.status === 200)
          .map((c) => JSON.parse(c.body) as { type: string; data: { post_id: string } })
          .filter((b) => b.type === 'verdict.created')
          .map((b) => b.data.post_id),
      );
    await eventually(() => deliveredPosts().size >= POSTS, 300_000, 'every verdict delivered');

    // The callback endpoint goes down; posts are decided with their callbacks pending; Redis comes
    // back empty (their delivery jobs gone); the endpoint comes back: every callback still arrives.
    await receiver.stop();
    earlierCalls.push(...receiver.calls);
    await sendAll(POSTS, POSTS + LATE_POSTS, 8);
    await eventually(
      async () =>
        (await count(
          `select count(*) as n from delivery_attempts a join deliveries d on d.id = a.delivery_id where d.status = 'pending'`,
        )) >= LATE_POSTS,
      120_000,
      'the late posts decided, their callbacks failing',
    );
    await redis.restart({ keepData: false });
    figures.redisRestarts++;
    receiver = await new Receiver().start(callbackPort);
    await eventually(
      () => deliveredPosts().size >= POSTS + LATE_POSTS,
      180_000,
      'the late callbacks delivered after Redis came back empty',
    );

    const total = POSTS + LATE_POSTS;
    figures.decided = await count('select count(distinct post_id) as n from decisions');
    figures.duplicated = await count('select count(*) - count(distinct revision_id) as n from decisions');
    figures.delivered = deliveredPosts().size;
    figures.lost = total - figures.decided;
    expect(figures.decided).toBe(total);
    expect(figures.duplicated).toBe(0);
    expect(await count('select count(*) as n from revisions')).toBe(total);
    expect(await count("select count(*) as n from deliveries where status <> 'succeeded'")).toBe(0);
    // Each decision's verdict.created went out under one webhook-id, however often it was sent.
    const idsByDecision = new Map<string, Set<string>>();
    for (const c of [...earlierCalls, ...receiver.calls]) {
      const b = JSON.parse(c.body) as { type: string; data: { decision_id: string } };
      if (b.type !== 'verdict.created') continue;
      const ids = idsByDecision.get(b.data.decision_id) ?? new Set<string>();
      ids.add(String(c.headers['webhook-id']));
      idsByDecision.set(b.data.decision_id, ids);
    }
    expect([...idsByDecision.values()].every((ids) => ids.size === 1)).toBe(true);
  });
});

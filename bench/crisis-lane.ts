/**
 * Crisis lane benchmark: `npm run bench:crisis-lane [-- --backlog 3000 --trials 10 --baseline-trials 2]`.
 * Runs the service as `npm start` does (API and workers in one process, default concurrency) on a
 * private database, queue prefix and loopback ports, with a forum whose callback is a local
 * receiver. For each trial it queues a backlog of ordinary posts on the forum (the moderate queue
 * paused while they are queued, then resumed), sends one crisis post, and times from the 202 to
 * the arrival of that post's signed verdict callback. Crisis posts in English, then Spanish; then
 * the same with the lane off (every post in one queue) as the baseline. Prints p50/p99; cleans up.
 */
import { parseArgs } from 'node:util';
import { createForum } from '../src/forums/forums.ts';
import { signedHeaders } from '../src/webhooks/standard-webhooks.ts';
import { startWorkers } from '../workers/index.ts';
import { startCallbackReceiver } from './support/callback-receiver.ts';
import { startPrivateInstance } from './support/private-instance.ts';

const { values: args } = parseArgs({
  options: {
    backlog: { type: 'string', default: '3000' },
    trials: { type: 'string', default: '10' },
    'baseline-trials': { type: 'string', default: '2' },
  },
});
const backlogSize = Number(args.backlog);
const trials = Number(args.trials);
const baselineTrials = Number(args['baseline-trials']);

const crisisPosts = {
  English: "I've saved up all my pills and I'm going to take them all tonight. Thank you all for everything.",
  Spanish: 'Ya no quiero vivir. He guardado las pastillas y esta noche me despido de todos.',
};
const ordinary = [
  'I take 300 mg gabapentin at night and the brain fog is awful by mid-morning.',
  'Physio gave me three stretches for my lower back and I did them every day this week.',
  'How long did duloxetine take to kick in for you?',
  'Heat pad on the hips, ice on the knees, and a very patient cat on my lap.',
];

// The forum's callback endpoint: records when each post's verdict arrives, and when an urgent
// post's alert.urgent (its own callback, sent with the suggested reply) arrives.
const arrivals = new Map<string, number>();
const alerts = new Map<string, number>();
const receiver = await startCallbackReceiver((body, at) => {
  const postId = body.data?.post_id;
  const seen = body.type === 'alert.urgent' ? alerts : arrivals;
  if (postId && !seen.has(postId) && (body.type === 'verdict.created' || body.type === 'alert.urgent')) seen.set(postId, at);
});

const instance = await startPrivateInstance('crisis', { callbacks: { allowPrivate: true } });
const { ctx, config, run } = instance;
const forum = await createForum(ctx.database.db, { id: 'bench-forum', callbackUrl: receiver.url }, { allowPrivate: true, actor: 'bench' });
const port = await instance.serve();
const workers = await startWorkers(ctx);
const base = `http://127.0.0.1:${port}/v1/forums/${forum.id}/posts`;

let sent = 0;
async function send(body: string): Promise<{ postId: string; acceptedAt: number }> {
  sent++;
  const postId = `bench-${run}-${sent}`;
  const raw = JSON.stringify({ id: postId, author: { id: `u-${sent % 97}` }, body });
  const res = await fetch(base, {
    method: 'POST',
    body: raw,
    headers: { 'content-type': 'application/json', ...signedHeaders(forum.ingest_secret, `msg_${run}_${sent}`, raw) },
  });
  if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  return { postId, acceptedAt: performance.now() };
}

async function waitFor(postId: string, timeoutMs: number, seen = arrivals): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (!seen.has(postId)) {
    if (performance.now() > deadline) throw new Error(`no callback for ${postId} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return seen.get(postId) as number;
}

/** Tops the ordinary queue up to the backlog, paused so the workers cannot eat it meanwhile. */
async function queueBacklog(): Promise<void> {
  await ctx.queues.moderate.pause();
  const waiting = await ctx.queues.moderate.getJobCountByTypes('waiting', 'paused', 'prioritized');
  const missing = Math.max(0, backlogSize - waiting);
  for (let i = 0; i < missing; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, missing - i) }, (_, j) => send(`${ordinary[(i + j) % ordinary.length]} (${sent + j})`)),
    );
  }
  await ctx.queues.moderate.resume();
}

async function measure(lane: boolean, language: keyof typeof crisisPosts, n: number): Promise<{ waits: number[]; alertWaits: number[] }> {
  ctx.config.ingest.crisisLane = lane;
  const waits: number[] = [];
  const alertWaits: number[] = [];
  for (let t = 0; t < n; t++) {
    await queueBacklog();
    const { postId, acceptedAt } = await send(crisisPosts[language]);
    const arrived = await waitFor(postId, 10 * 60_000);
    waits.push(arrived - acceptedAt);
    alertWaits.push((await waitFor(postId, 60_000, alerts)) - acceptedAt);
  }
  return { waits, alertWaits };
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
};
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

const out = (line = '') => process.stdout.write(`${line}\n`);
try {
  out(`crisis lane benchmark · node ${process.version} · backlog ${backlogSize} ordinary posts on one forum`);
  out(
    `workers: moderate ${config.workers.moderateConcurrency}, deliver ${config.workers.deliverConcurrency}, urgent ${config.workers.urgentConcurrency} (each lane queue) · API and workers in one process`,
  );
  out();
  out(
    `${'crisis post'.padEnd(12)} ${'lane'.padEnd(5)} ${'trials'.padStart(6)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'max'.padStart(10)} ${'alert p50'.padStart(10)} ${'alert p99'.padStart(10)}`,
  );
  for (const lane of [true, false]) {
    for (const language of Object.keys(crisisPosts) as Array<keyof typeof crisisPosts>) {
      const { waits, alertWaits } = await measure(lane, language, lane ? trials : baselineTrials);
      out(
        `${language.padEnd(12)} ${(lane ? 'on' : 'off').padEnd(5)} ${String(waits.length).padStart(6)} ${fmt(pct(waits, 0.5)).padStart(10)} ${fmt(pct(waits, 0.99)).padStart(10)} ${fmt(Math.max(...waits)).padStart(10)} ${fmt(pct(alertWaits, 0.5)).padStart(10)} ${fmt(pct(alertWaits, 0.99)).padStart(10)}`,
      );
    }
  }
  out();
  out('time from the 202 for the crisis post to the arrival of its signed verdict callback at the forum;');
  out('alert: to the arrival of its alert.urgent callback (with the suggested reply).');
} finally {
  await workers.close(5000);
  await instance.close();
  await receiver.close();
}

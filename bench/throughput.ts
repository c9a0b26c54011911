/**
 * Throughput benchmark (issue 12): `npm run bench` (or `npm run bench:throughput -- --posts 20000`).
 * Runs Hearth as its own processes exactly as the README starts them (`npm start`, or
 * `start:api` / `start:workers`), on a private database, queue prefix and loopback ports, with
 * one forum whose callback is a receiver in this process that checks every signature. Each
 * figure is printed beside a baseline measured in the same run on the same machine:
 *
 * - end to end (`npm start`): posts sent by 50 connections, from the first send to the last
 *   signed verdict callback received; then open-loop latency (202 → callback) at fixed rates;
 * - ingest: signed 1 KB posts to 202 against `start:api`, beside a bare Hono route answering
 *   202 and Hono plus a raw BullMQ `add` (bench/support/ingest-baseline.ts);
 * - worker drain: posts queued while workers are paused, then drained by `start:workers`
 *   through scoring, decision, audit and delivery, beside a no-op BullMQ worker at the same
 *   concurrency (bench/support/noop-worker.ts); also with two worker processes (scale-out);
 * - memory: each process's RSS and Redis's memory after the run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { count, eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { buildConfig } from '../src/config/config.ts';
import { createContext } from '../src/context.ts';
import { decisions } from '../src/db/schema/index.ts';
import { createForum } from '../src/forums/forums.ts';
import { createLogger } from '../src/observability/logger.ts';
import { signedHeaders, verify } from '../src/webhooks/standard-webhooks.ts';
import { dropPrivateData } from './support/private-instance.ts';

const { values: args } = parseArgs({
  options: {
    posts: { type: 'string', default: '20000' },
    drain: { type: 'string', default: '20000' },
    rates: { type: 'string', default: '250,500,1000' },
    'rate-seconds': { type: 'string', default: '4' },
    'ingest-seconds': { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    'skip-scale': { type: 'boolean', default: false },
    /** Comma-separated parts to run: e2e, ingest, drain (default all). */
    only: { type: 'string', default: 'e2e,ingest,drain' },
  },
});
const e2ePosts = Number(args.posts);
const drainPosts = Number(args.drain);
const rates = String(args.rates)
  .split(',')
  .map(Number)
  .filter((r) => r > 0);
const rateSeconds = Number(args['rate-seconds']);
const ingestSeconds = Number(args['ingest-seconds']);
const connections = Number(args.connections);
const parts = new Set(String(args.only).split(','));

const root = fileURLToPath(new URL('..', import.meta.url));
const run = randomBytes(4).toString('hex');
const dbName = `hearth_bench_tp_${run}`;
const databaseUrl = `postgres://127.0.0.1:5432/${dbName}`;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `hearth-bench-tp-${run}`;
const config = buildConfig({ databaseUrl, redisUrl, queuePrefix: prefix, logLevel: 'silent', callbacks: { allowPrivate: true } });
const out = (line = '') => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`· ${line}\n`);

// ---- the forum's callback endpoint: first arrival of each post's signed verdict --------------
const arrivals = new Map<string, number>();
let badSignatures = 0;
let callbackSecret = '';
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    const raw = Buffer.concat(chunks).toString('utf8');
    const headers = {
      id: req.headers['webhook-id'] as string | undefined,
      timestamp: req.headers['webhook-timestamp'] as string | undefined,
      signature: req.headers['webhook-signature'] as string | undefined,
    };
    if (verify(callbackSecret, headers, raw) !== null) {
      badSignatures++;
      res.writeHead(401).end();
      return;
    }
    const body = JSON.parse(raw) as { type?: string; data?: { post_id?: string } };
    const postId = body.data?.post_id;
    if (body.type === 'verdict.created' && postId && !arrivals.has(postId)) arrivals.set(postId, at);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hearth`;

const ctx = await createContext(config, { log: createLogger('silent') });
const forum = await createForum(ctx.database.db, { id: 'bench-forum', callbackUrl }, { allowPrivate: true, actor: 'bench' });
callbackSecret = forum.callback_secret;
const redis = new Redis(redisUrl);
const redisMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
const redisBefore = await redisMemory();

// ---- posts: ~1 KB, fictional, unique, nothing the crisis check would send to the lane --------
const sentences = [
  'I take 300 mg gabapentin at night and the brain fog is awful by mid-morning.',
  'Physio gave me three stretches for my lower back and I did them every day this week.',
  'How long did duloxetine take to kick in for you?',
  'Heat pad on the hips, ice on the knees, and a very patient cat on my lap.',
  'My rheumatologist wants to try a different dose before we talk about injections.',
  'Pacing has helped more than anything else, even if it feels slow some weeks.',
];
let postCounter = 0;
function makePost(): { postId: string; raw: string; headers: Record<string, string> } {
  const n = ++postCounter;
  const postId = `p-${run}-${n}`;
  let body = '';
  for (let i = n; body.length < 960; i++) body += `${sentences[i % sentences.length]} `;
  const raw = JSON.stringify({ id: postId, author: { id: `u-${n % 997}` }, body: `${body}(${n})` });
  return { postId, raw, headers: { 'content-type': 'application/json', ...signedHeaders(forum.ingest_secret, `msg_${run}_${n}`, raw) } };
}

// ---- a small HTTP load generator on keep-alive connections ----------------------------------
type Req = { raw: string; headers: Record<string, string> };
function post(agent: http.Agent, port: number, path: string, r: Req): Promise<{ status: number; at: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...r.headers, 'content-length': Buffer.byteLength(r.raw) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, at: performance.now() }));
      },
    );
    req.on('error', reject);
    req.end(r.raw);
  });
}

interface LoadResult {
  sent: number;
  accepted: number;
  other: Map<number, number>;
  latencies: number[];
  seconds: number;
  acceptedAt: Map<string, number>;
}

/** `connections` loops, each sending the next post when its last one is answered. */
async function closedLoop(port: number, opts: { count?: number; seconds?: number; warmupSeconds?: number }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const path = `/v1/forums/${forum.id}/posts`;
  const result: LoadResult = { sent: 0, accepted: 0, other: new Map(), latencies: [], seconds: 0, acceptedAt: new Map() };
  const warmupEnd = performance.now() + (opts.warmupSeconds ?? 0) * 1000;
  let start = performance.now();
  let measuring = !opts.warmupSeconds;
  const deadline = () => start + (opts.seconds ?? Number.POSITIVE_INFINITY) * 1000;
  let remaining = opts.count ?? Number.POSITIVE_INFINITY;
  const loop = async () => {
    for (;;) {
      if (!measuring && performance.now() >= warmupEnd) {
        measuring = true;
        start = performance.now();
      }
      if (measuring && (remaining <= 0 || performance.now() >= deadline())) return;
      if (measuring) remaining--;
      const p = makePost();
      const sentAt = performance.now();
      const counted = measuring;
      const { status, at } = await post(agent, port, path, p);
      if (!counted) continue;
      result.sent++;
      if (status === 202) {
        result.accepted++;
        result.acceptedAt.set(p.postId, at);
        result.latencies.push(at - sentAt);
      } else result.other.set(status, (result.other.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  result.seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return result;
}

/** Sends at a fixed rate regardless of answers (open loop), for `seconds`. */
async function openLoop(port: number, rate: number, seconds: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const path = `/v1/forums/${forum.id}/posts`;
  const result: LoadResult = { sent: 0, accepted: 0, other: new Map(), latencies: [], seconds, acceptedAt: new Map() };
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const p = makePost();
    result.sent++;
    pending.push(
      post(agent, port, path, p).then(({ status, at }) => {
        if (status === 202) {
          result.accepted++;
          result.acceptedAt.set(p.postId, at);
        } else result.other.set(status, (result.other.get(status) ?? 0) + 1);
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return result;
}

async function waitForCallbacks(postIds: Iterable<string>, timeoutMs: number): Promise<number> {
  const ids = [...postIds];
  const deadline = performance.now() + timeoutMs;
  let last = 0;
  for (const id of ids) {
    while (!arrivals.has(id)) {
      if (performance.now() > deadline) throw new Error(`callbacks missing after ${timeoutMs} ms (${id})`);
      await new Promise((r) => setTimeout(r, 5));
    }
    last = Math.max(last, arrivals.get(id) as number);
  }
  return last;
}

// ---- processes -------------------------------------------------------------------------------
const children = new Set<ChildProcess>();
async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
function startHearth(role: 'all' | 'api' | 'workers', port: number): ChildProcess {
  // HEARTH_BENCH_PROFILE=dir writes a V8 CPU profile of each Hearth process there (open in Chrome DevTools).
  const profile = process.env.HEARTH_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.HEARTH_BENCH_PROFILE] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts', role], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      HEARTH_QUEUE_PREFIX: prefix,
      HEARTH_ALLOW_PRIVATE_CALLBACKS: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      HEARTH_WORKER_METRICS_PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
async function untilHealthy(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the API did not become healthy');
}
async function untilWorkers(queue: Queue, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await queue.getWorkers()).length >= n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('workers did not start');
}
function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
/** CPU time (user + system) the process has used so far, in ms: less swayed by a busy machine than wall time. */
function cpuMs(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
function readLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`baseline process exited (${code})`)));
  });
}

// ---- statistics and the table ----------------------------------------------------------------
const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
};
const ms = (v: number) =>
  v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const rate = (v: number, unit = 'posts/s') => `${Math.round(v).toLocaleString('en')} ${unit}`;
const rows: string[][] = [];
const row = (what: string, measured: string, baseline: string, ratio: string, target: string) =>
  rows.push([what, measured, baseline, ratio, target]);

try {
  note(`node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}`);

  // 1. End to end on `npm start`, closed loop, then open loop.
  if (parts.has('e2e')) {
    const port = await freePort();
    const child = startHearth('all', port);
    await untilHealthy(port);
    await untilWorkers(ctx.queues.moderate, 1);
    note(`end to end: ${e2ePosts} posts, ${connections} connections, npm start`);
    const t0 = performance.now();
    const load = await closedLoop(port, { count: e2ePosts });
    const last = await waitForCallbacks(load.acceptedAt.keys(), 30 * 60_000);
    const seconds = (last - t0) / 1000;
    const [stored] = await ctx.database.db.select({ n: count() }).from(decisions).where(eq(decisions.forumId, forum.id));
    row(
      `end to end, npm start, ${e2ePosts.toLocaleString('en')} posts to one forum: sent → last signed callback`,
      rate(load.accepted / seconds),
      '—',
      '',
      '≥ 1,000 posts/s',
    );
    if (load.accepted !== e2ePosts || stored?.n !== e2ePosts) {
      note(`accepted ${load.accepted} of ${e2ePosts}, ${stored?.n} decisions stored, other answers ${JSON.stringify([...load.other])}`);
    }
    const e2eLatency = [...load.acceptedAt].map(([id, at]) => (arrivals.get(id) as number) - at);
    row('  latency 202 → callback under that load (p50 / p99)', `${ms(pct(e2eLatency, 0.5))} / ${ms(pct(e2eLatency, 0.99))}`, '—', '', '');
    for (const r of rates) {
      note(`open loop at ${r} posts/s for ${rateSeconds} s`);
      const open = await openLoop(port, r, rateSeconds);
      await waitForCallbacks(open.acceptedAt.keys(), 30 * 60_000);
      const lat = [...open.acceptedAt].map(([id, at]) => (arrivals.get(id) as number) - at);
      const refused = open.sent - open.accepted;
      row(
        `end to end latency, open loop ${r} posts/s (p50 / p99)${refused ? `, ${refused} not accepted` : ''}`,
        `${ms(pct(lat, 0.5))} / ${ms(pct(lat, 0.99))}`,
        '—',
        '',
        r === 500 ? 'p50 ≤ 15 ms, p99 ≤ 100 ms' : '',
      );
    }
    row('memory: npm start process RSS after the run', `${rssMb(child).toFixed(0)} MB`, '—', '', '≤ 150 MB');
    await stop(child);
  }

  // 2. Ingest: start:api against two baselines, same requests, same load generator.
  if (parts.has('ingest')) {
    const ingest: Record<string, LoadResult> = {};
    const baselinePrefix = `${prefix}-baseline`;
    for (const mode of ['bare', 'bullmq'] as const) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/ingest-baseline.ts', mode, baselinePrefix, redisUrl], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.add(child);
      const port = Number(await readLine(child));
      note(`ingest baseline ${mode}: ${ingestSeconds} s`);
      ingest[mode] = await closedLoop(port, { seconds: ingestSeconds, warmupSeconds: 1 });
      await stop(child);
    }
    const port = await freePort();
    const api = startHearth('api', port);
    await untilHealthy(port);
    note(`ingest start:api: ${ingestSeconds} s`);
    ingest.hearth = await closedLoop(port, { seconds: ingestSeconds, warmupSeconds: 1 });
    row('memory: start:api process RSS after ingest', `${rssMb(api).toFixed(0)} MB`, '—', '', '≤ 150 MB');
    await stop(api);
    const rps = (r: LoadResult | undefined) => (r ? r.accepted / r.seconds : Number.NaN);
    const p99 = (r: LoadResult | undefined) => ms(pct(r?.latencies ?? [], 0.99));
    const h = ingest.hearth;
    row(
      `ingest: signed 1 KB posts → 202, ${connections} connections (p99)`,
      `${rate(rps(h), 'req/s')} (${p99(h)})`,
      `bare Hono 202: ${rate(rps(ingest.bare), 'req/s')} (${p99(ingest.bare)}); Hono + raw BullMQ add: ${rate(rps(ingest.bullmq), 'req/s')} (${p99(ingest.bullmq)})`,
      `${(rps(h) / rps(ingest.bullmq)).toFixed(2)}× Hono + add`,
      '≥ 4,000 req/s, ≥ 0.75× Hono + add',
    );
    if (h && h.other.size > 0) note(`ingest answers other than 202: ${JSON.stringify([...h.other])}`);
    await ctx.queues.moderate.obliterate({ force: true }).catch(() => {});
    await redis.del(...(await redis.keys(`${baselinePrefix}:*`)), 'unused-key');
  }

  // 3. Worker drain: queue posts with the workers away, then time the drain.
  let noopCpuPerJob = Number.NaN;
  const noopRate = !parts.has('drain')
    ? 0
    : await (async () => {
        const noopPrefix = `${prefix}-noop`;
        const queue = new Queue('moderate', { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix: noopPrefix });
        await queue.pause();
        const template = makePost();
        for (let i = 0; i < drainPosts; i += 1000) {
          await queue.addBulk(
            Array.from({ length: Math.min(1000, drainPosts - i) }, (_, j) => ({
              name: 'moderate',
              data: { forumId: forum.id, post: JSON.parse(template.raw) as unknown, n: i + j },
              opts: { removeOnComplete: true },
            })),
          );
        }
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'bench/support/noop-worker.ts', 'moderate', noopPrefix, String(config.workers.moderateConcurrency), redisUrl],
          { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
        );
        children.add(child);
        await readLine(child);
        note(`drain baseline: no-op worker, ${drainPosts} jobs`);
        const cpu0 = cpuMs(child);
        const t0 = performance.now();
        await queue.resume();
        for (;;) {
          const c = await queue.getJobCounts('waiting', 'active', 'paused', 'delayed');
          if ((c.waiting ?? 0) + (c.active ?? 0) + (c.paused ?? 0) + (c.delayed ?? 0) === 0) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        const seconds = (performance.now() - t0) / 1000;
        noopCpuPerJob = (cpuMs(child) - cpu0) / drainPosts;
        await stop(child);
        await queue.obliterate({ force: true });
        await queue.close();
        return drainPosts / seconds;
      })();

  const drain = async (workerProcesses: number): Promise<{ rate: number; rss: number[]; cpuPerPost: number }> => {
    const port = await freePort();
    const api = startHearth('api', port);
    await untilHealthy(port);
    await ctx.queues.moderate.pause();
    const load = await closedLoop(port, { count: drainPosts });
    await stop(api);
    const workers = Array.from({ length: workerProcesses }, () => startHearth('workers', 0));
    await untilWorkers(ctx.queues.moderate, workerProcesses);
    note(`drain: ${load.accepted} queued posts, ${workerProcesses} start:workers process(es)`);
    const cpu0 = workers.reduce((sum, w) => sum + cpuMs(w), 0);
    const t0 = performance.now();
    await ctx.queues.moderate.resume();
    const last = await waitForCallbacks(load.acceptedAt.keys(), 30 * 60_000);
    const cpuPerPost = (workers.reduce((sum, w) => sum + cpuMs(w), 0) - cpu0) / load.accepted;
    const rss = workers.map(rssMb);
    for (const w of workers) await stop(w);
    return { rate: load.accepted / ((last - t0) / 1000), rss, cpuPerPost };
  };
  if (parts.has('drain')) {
    const one = await drain(1);
    row(
      `worker drain: ${drainPosts.toLocaleString('en')} queued posts → scored, decided, audited, delivered (start:workers ×1)`,
      rate(one.rate),
      `no-op BullMQ worker, concurrency ${config.workers.moderateConcurrency}: ${rate(noopRate, 'jobs/s')}`,
      `${(one.rate / noopRate).toFixed(2)}× no-op`,
      '≥ 0.35× no-op',
    );
    row(
      '  CPU time per post in the worker process (user + system)',
      `${one.cpuPerPost.toFixed(2)} ms`,
      `no-op worker: ${noopCpuPerJob.toFixed(2)} ms per job`,
      `${(one.cpuPerPost / noopCpuPerJob).toFixed(0)}× no-op`,
      '',
    );
    row('memory: start:workers process RSS after the drain', `${one.rss.map((r) => r.toFixed(0)).join(', ')} MB`, '—', '', '≤ 150 MB');
    if (!args['skip-scale']) {
      const two = await drain(2);
      row(
        'scale-out: the same drain with start:workers ×2',
        rate(two.rate),
        `start:workers ×1: ${rate(one.rate)}`,
        `${(two.rate / one.rate).toFixed(2)}×`,
        'near 2× where cores allow',
      );
    }
  }
  const redisAfter = await redisMemory();
  row(
    'Redis memory: before the run → after',
    `${(redisBefore / 2 ** 20).toFixed(1)} → ${(redisAfter / 2 ** 20).toFixed(1)} MB`,
    '—',
    '',
    'back to flat',
  );
  if (badSignatures > 0) note(`${badSignatures} callbacks with a bad signature`);

  out(`throughput benchmark · node ${process.version} · ${cpus().length} cores · ${cpus()[0]?.model ?? ''}`.trim());
  out(`defaults: moderate ${config.workers.moderateConcurrency}, deliver ${config.workers.deliverConcurrency}, pool ${config.dbPoolSize}`);
  out();
  const header = ['what', 'measured', 'baseline in the same run', 'ratio', 'target (2 cores)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  out(line(header));
  out(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) out(line(r));
} finally {
  for (const child of children) child.kill('SIGKILL');
  await ctx.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  redis.disconnect();
  await dropPrivateData(dbName, redisUrl, prefix);
  // The baselines' connections are gone with their processes; nothing else should hold us.
  process.exit(process.exitCode ?? 0);
}

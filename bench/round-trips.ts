/**
 * Round trips per post (issue 12): `npm run bench:round-trips -- --posts 300`. Queues posts
 * through the real ingest route with the workers away, then runs the workers in this process
 * and counts, until every signed verdict callback has arrived and the audit chain is sealed:
 * the PostgreSQL statements each kind of work sends (postgres.js's debug hook, grouped by
 * statement) and the Redis commands on this run's queue prefix (from MONITOR). Wall-clock
 * figures belong to bench:throughput; these counts do not depend on the machine's load.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { buildConfig } from '../src/config/config.ts';
import { createContext } from '../src/context.ts';
import { createForum } from '../src/forums/forums.ts';
import { createApp } from '../src/http/app.ts';
import { createLogger } from '../src/observability/logger.ts';
import { signedHeaders } from '../src/webhooks/standard-webhooks.ts';
import { startWorkers } from '../workers/index.ts';

const { values: args } = parseArgs({ options: { posts: { type: 'string', default: '300' } } });
const postCount = Number(args.posts);

const run = randomBytes(4).toString('hex');
const dbName = `hearth_bench_rt_${run}`;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `hearth-bench-rt-${run}`;
const config = buildConfig({
  databaseUrl: `postgres://127.0.0.1:5432/${dbName}`,
  redisUrl,
  queuePrefix: prefix,
  logLevel: 'silent',
  callbacks: { allowPrivate: true },
});
const out = (line = '') => process.stdout.write(`${line}\n`);

const delivered = new Set<string>();
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: string; data?: { post_id?: string } };
    if (body.type === 'verdict.created' && body.data?.post_id) delivered.add(body.data.post_id);
    res.writeHead(200).end('{}');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

const admin = postgres('postgres://127.0.0.1:5432/postgres', { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${dbName}"`);
const ctx = await createContext(config, { log: createLogger('silent') });
const monitor = new Redis(redisUrl);
try {
  const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hearth`;
  const forum = await createForum(ctx.database.db, { id: 'bench-forum', callbackUrl }, { allowPrivate: true, actor: 'bench' });
  const app = createApp(ctx);
  for (let n = 1; n <= postCount; n++) {
    const raw = JSON.stringify({
      id: `p-${n}`,
      author: { id: `u-${n % 97}` },
      body: `Pacing has helped more than anything else this week, even if it feels slow (${n}).`,
    });
    const res = await app.request(`/v1/forums/${forum.id}/posts`, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', ...signedHeaders(forum.ingest_secret, `msg_${run}_${n}`, raw) },
    });
    if (res.status !== 202) throw new Error(`post ${n} answered ${res.status}`);
  }

  // From here on every statement and every Redis command on the prefix is the workers' doing.
  const statements = new Map<string, number>();
  (ctx.database.sql.options as { debug?: unknown }).debug = (_connection: number, query: string) => {
    const key = query
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/\(\$\d+[^)]*\)(, \(\$\d+[^)]*\))+/g, '(…rows…)')
      .slice(0, 110);
    statements.set(key, (statements.get(key) ?? 0) + 1);
  };
  const redisCommands = new Map<string, number>();
  const monitoring = await monitor.monitor();
  monitoring.on('monitor', (_time: string, command: string[], source: string) => {
    // Commands a Lua script runs are listed too; only the client's own are round trips.
    if (source === 'lua' || !command.some((arg) => String(arg).includes(prefix))) return;
    const name = String(command[0]).toLowerCase();
    // A BullMQ script is named by its first key (queue:wait for moveToActive and friends).
    const key =
      name === 'evalsha'
        ? `evalsha ${String(command[3] ?? '').replace(`${prefix}:`, '')}`
        : name === 'eval'
          ? 'eval (a script not yet cached)'
          : `${name} ${String(command[1] ?? '')
              .replace(`${prefix}:`, '')
              .replace(/:[^:]*$/, ':…')}`;
    redisCommands.set(key, (redisCommands.get(key) ?? 0) + 1);
  });

  const started = performance.now();
  const workers = await startWorkers(ctx);
  while (delivered.size < postCount) await new Promise((r) => setTimeout(r, 20));
  await workers.close();
  await ctx.audit.sealer.sealAll();
  const seconds = (performance.now() - started) / 1000;
  await monitoring.disconnect();
  (ctx.database.sql.options as { debug?: unknown }).debug = undefined;

  const perPost = (n: number) => (n / postCount).toFixed(2);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  out(
    `${postCount} posts, one forum, default workers (moderate ${config.workers.moderateConcurrency}, deliver ${config.workers.deliverConcurrency}), ${seconds.toFixed(1)} s`,
  );
  out();
  out(`PostgreSQL statements per post: ${perPost(total(statements))} (transactions: ${perPost(statements.get('begin') ?? 0)})`);
  for (const [q, n] of [...statements].sort((a, b) => b[1] - a[1])) out(`  ${perPost(n).padStart(6)}  ${q}`);
  out();
  out(`Redis round trips (commands sent, not those scripts run) on the queue prefix per post: ${perPost(total(redisCommands))}`);
  for (const [c, n] of [...redisCommands].sort((a, b) => b[1] - a[1])) out(`  ${perPost(n).padStart(6)}  ${c}`);
} finally {
  monitor.disconnect();
  await ctx.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

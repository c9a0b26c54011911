/**
 * Round trips per post (issue 12): `npm run bench:round-trips -- --posts 300`. Queues posts
 * through the real ingest route with the workers away, then runs the workers in this process
 * and counts, until every signed verdict callback has arrived and the audit chain is sealed:
 * the PostgreSQL statements each kind of work sends (postgres.js's debug hook, grouped by
 * statement) and the Redis commands on this run's queue prefix (from MONITOR), and the socket
 * writes this process makes to PostgreSQL, Redis and the forum: a write is what a round trip
 * costs the worker in CPU (on loopback it also runs the peer's receive path). Wall-clock
 * figures belong to bench:throughput; these counts do not depend on the machine's load.
 */
import { Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createForum } from '../src/forums/forums.ts';
import { createApp } from '../src/http/app.ts';
import { signedHeaders } from '../src/webhooks/standard-webhooks.ts';
import { startWorkers } from '../workers/index.ts';
import { startCallbackReceiver } from './support/callback-receiver.ts';
import { startPrivateInstance } from './support/private-instance.ts';

const { values: args } = parseArgs({ options: { posts: { type: 'string', default: '300' } } });
const postCount = Number(args.posts);
const out = (line = '') => process.stdout.write(`${line}\n`);

const delivered = new Set<string>();
const receiver = await startCallbackReceiver((body) => {
  if (body.type === 'verdict.created' && body.data?.post_id) delivered.add(body.data.post_id);
});
const instance = await startPrivateInstance('rt', { callbacks: { allowPrivate: true } });
const { ctx, config, run } = instance;
const prefix = config.queuePrefix;
const monitor = new Redis(config.redisUrl);
try {
  const forum = await createForum(
    ctx.database.db,
    { id: 'bench-forum', callbackUrl: receiver.url },
    { allowPrivate: true, actor: 'bench' },
  );
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
  // postgres.js prepares a statement on each connection the first time it runs there: one more round trip.
  const prepared = new Set<string>();
  (ctx.database.sql.options as { debug?: unknown }).debug = (connection: number, query: string) => {
    prepared.add(`${connection} ${query}`);
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

  // Every write reaching a socket (after corking), by the peer's port.
  const writes = new Map<string, number>();
  const peers: Record<string, string> = {
    [new URL(config.databaseUrl).port || '5432']: 'PostgreSQL',
    [new URL(config.redisUrl).port || '6379']: 'Redis',
    [new URL(receiver.url).port]: 'forum callbacks',
  };
  type WriteGeneric = (this: Socket, ...args: unknown[]) => unknown;
  const socketProto = Socket.prototype as unknown as { _writeGeneric: WriteGeneric };
  const writeGeneric = socketProto._writeGeneric;
  socketProto._writeGeneric = function (this: Socket, ...args: unknown[]) {
    // The forum's own answers (this process's receiver) are not the workers' cost.
    if ((this as Socket & { server?: unknown }).server) return writeGeneric.apply(this, args);
    const peer = peers[String(this.remotePort)] ?? 'other';
    writes.set(peer, (writes.get(peer) ?? 0) + 1);
    return writeGeneric.apply(this, args);
  };

  const started = performance.now();
  const workers = await startWorkers(ctx);
  while (delivered.size < postCount) await new Promise((r) => setTimeout(r, 20));
  await workers.close();
  await ctx.audit.sealer.sealAll();
  const seconds = (performance.now() - started) / 1000;
  socketProto._writeGeneric = writeGeneric;
  await monitoring.disconnect();
  (ctx.database.sql.options as { debug?: unknown }).debug = undefined;

  const perPost = (n: number) => (n / postCount).toFixed(2);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  out(
    `${postCount} posts, one forum, default workers (moderate ${config.workers.moderateConcurrency}, deliver ${config.workers.deliverConcurrency}), ${seconds.toFixed(1)} s`,
  );
  out();
  out(
    `PostgreSQL statements per post: ${perPost(total(statements))} (transactions: ${perPost(statements.get('begin') ?? 0)}, first runs on a connection, each a prepare round trip more: ${perPost(prepared.size)})`,
  );
  for (const [q, n] of [...statements].sort((a, b) => b[1] - a[1])) out(`  ${perPost(n).padStart(6)}  ${q}`);
  out();
  out(`Socket writes per post: ${perPost(total(writes))}`);
  for (const [peer, n] of [...writes].sort((a, b) => b[1] - a[1])) out(`  ${perPost(n).padStart(6)}  ${peer}`);
  out();
  out(`Redis round trips (commands sent, not those scripts run) on the queue prefix per post: ${perPost(total(redisCommands))}`);
  for (const [c, n] of [...redisCommands].sort((a, b) => b[1] - a[1])) out(`  ${perPost(n).padStart(6)}  ${c}`);
} finally {
  monitor.disconnect();
  await instance.close();
  await receiver.close();
}

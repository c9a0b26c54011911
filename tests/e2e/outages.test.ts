import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.ts';
import { createDatabase } from '../../src/db/client.ts';
import { deliveries } from '../../src/db/schema/index.ts';
import { createForum } from '../../src/forums/forums.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { deleteQueueKeys, samplePost, startHarness, testConfig } from '../support/harness.ts';
import { Receiver } from '../support/receiver.ts';
import { forumHeaders } from '../support/sign.ts';

/**
 * Faults a deployment lives through: Redis or PostgreSQL going away, and SIGTERM to the service
 * process. They stop servers, refuse connections and start the service as a process of its own,
 * which takes long on a busy machine, so they run apart from `npm test`: `npm run test:e2e`.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A throwaway Redis server of our own, so the test can stop it without touching the shared one. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const { Redis } = await import('ioredis');
  await eventually(
    async () => {
      const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        probe.on('error', () => {});
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    },
    10_000,
    'redis-server to start',
  );
  return child;
}

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  cleanups = [];
});

describe('Redis outage at ingest', () => {
  it('answers 503 without waiting for Redis while it is down, and recovers when it is back', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    cleanups.push(async () => redis.kill('SIGKILL'));
    const database: TestDatabase = await createTestDatabase();
    cleanups.push(() => database.drop());
    const config = testConfig(database.url, { redisUrl: `redis://127.0.0.1:${port}` });
    const ctx = await createContext(config, { skipMigrations: true, log: createLogger('silent') });
    cleanups.push(() => ctx.close());
    const app = createApp(ctx);
    const forum = await createForum(ctx.database.db, { id: 'chronic-pain' }, { allowPrivate: true, actor: 'test' });
    const send = () => {
      const body = JSON.stringify(samplePost());
      return app.request('/v1/forums/chronic-pain/posts', { method: 'POST', body, headers: forumHeaders(forum.ingest_secret, body) });
    };
    expect((await send()).status).toBe(202);

    const exited = new Promise((r) => redis.once('exit', r));
    redis.kill('SIGKILL');
    await exited;
    const started = performance.now();
    const res = await send();
    const elapsed = performance.now() - started;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'queue_unavailable' } });
    // It does not wait for Redis to come back (it is down until restarted below). The bound is
    // ingest.queueTimeoutMs, under a second (tests/unit/config); the slack is for a busy machine.
    expect(elapsed).toBeLessThan(config.ingest.queueTimeoutMs + 4000);
    expect((await app.request('/readyz')).status).toBe(503);

    redis = await startRedis(port);
    await eventually(async () => (await send()).status === 202, 10_000, 'ingest to recover');
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('answers 503 when Redis was never reachable', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const config = testConfig(database.url, { redisUrl: `redis://127.0.0.1:${await freePort()}` });
    const ctx = await createContext(config, { skipMigrations: true, log: createLogger('silent') });
    cleanups.push(() => ctx.close());
    const forum = await createForum(ctx.database.db, { id: 'chronic-pain' }, { allowPrivate: true, actor: 'test' });
    const body = JSON.stringify(samplePost());
    const started = performance.now();
    const res = await createApp(ctx).request('/v1/forums/chronic-pain/posts', {
      method: 'POST',
      body,
      headers: forumHeaders(forum.ingest_secret, body),
    });
    expect(res.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(config.ingest.queueTimeoutMs + 4000);
  });
});

describe('graceful shutdown of the service process', () => {
  it('SIGTERM stops the service process with exit code 0', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const config = testConfig(database.url);
    cleanups.push(() => deleteQueueKeys(config));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: '0',
        HOST: '127.0.0.1',
        HEARTH_QUEUE_PREFIX: config.queuePrefix,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    cleanups.push(async () => child.kill('SIGKILL'));
    const port = await eventually(() => /"port":(\d+).*api listening/.exec(out)?.[1], 20_000, 'api to listen');
    await eventually(() => out.includes('workers started'), 10_000, 'workers to start');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('"msg":"stopped"');
    // The database pool belongs to the child; make sure nothing of ours holds the test database.
    const db = createDatabase(database.url, 1);
    await db.close();
  });
});

describe('PostgreSQL outage', () => {
  it('posts accepted while the database is unreachable are decided and delivered once it is back', async () => {
    const receiver = await new Receiver().start();
    cleanups.push(() => receiver.stop());
    const h = await startHarness({ workers: true, callbackUrl: receiver.url });
    cleanups.push(() => h.close());
    // One post first, so the API has the forum cached as it would in steady state; its
    // delivery is recorded before the outage so that it is not legitimately sent twice.
    expect((await h.submit(samplePost(), { query: '?wait=10000' })).status).toBe(200);
    await eventually(async () => (await h.ctx.database.db.select().from(deliveries))[0]?.status === 'succeeded', 5000, 'first delivery');

    const admin = createDatabase(adminUrlOf(h.database.url), 1);
    cleanups.push(() => admin.close());
    const setConnections = async (allowed: boolean) => {
      await admin.sql.unsafe(`alter database "${h.database.name}" with allow_connections ${allowed}`);
      if (!allowed) await admin.sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${h.database.name}`;
    };
    await setConnections(false);
    cleanups.push(() => setConnections(true));

    const post = samplePost('Posted while the database was down.');
    const res = await h.submit(post);
    expect(res.status).toBe(202);
    const { submission_id } = (await res.json()) as { submission_id: string };
    await eventually(async () => ((await h.ctx.queues.moderate.getJob(submission_id))?.attemptsMade ?? 0) >= 1, 10_000, 'a failed attempt');
    expect(await (await h.ctx.queues.moderate.getJob(submission_id))?.getState()).not.toBe('failed');

    await setConnections(true);
    const calls = await receiver.waitForCalls(2, 20_000);
    expect(calls.map((c) => JSON.parse(c.body).data.post_id)).toContain(post.id);
  });
});

function adminUrlOf(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

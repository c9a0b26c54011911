import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { eventually } from './eventually.ts';

/**
 * PostgreSQL and Redis servers of the test's own, on free ports in a temporary directory, so a
 * fault suite can stop, kill and empty them without touching the machine's servers.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

// PostgreSQL refuses to run as root; then it runs as the machine's postgres user.
const asRoot = process.getuid?.() === 0;
function pgTool(tool: string, args: string[]) {
  return asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', tool, ...args], { stdio: 'ignore' })
    : execFileSync(tool, args, { stdio: 'ignore' });
}

export interface PrivatePostgres {
  url(database: string): string;
  stop(): void;
  start(): void;
  destroy(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-faults-pg-'));
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  pgTool('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '-N']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pg: PrivatePostgres = {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: () => pgTool('pg_ctl', ['-D', join(dir, 'data'), '-o', options, '-l', join(dir, 'log'), '-w', 'start']),
    // Fast shutdown: sessions are cut off, as in a failover or a restart for maintenance.
    stop: () => pgTool('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']),
    destroy() {
      try {
        pgTool('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  pg.start();
  const probe = postgres(pg.url('postgres'), { max: 1, onnotice: () => {} });
  await eventually(async () => (await probe`select 1 as one`)[0]?.one === 1, 20_000, 'private PostgreSQL');
  await probe.end();
  return pg;
}

export interface PrivateRedis {
  url: string;
  /** SIGTERM (AOF flushed, data kept) then start again. */
  restart(opts: { keepData: boolean }): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-faults-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  // appendfsync always: a post answered 202 is on disk before the answer, as production needs.
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
      { stdio: 'ignore' },
    );
    await eventually(
      async () => {
        const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        r.on('error', () => {});
        try {
          await r.connect();
          return (await r.ping()) === 'PONG';
        } finally {
          r.disconnect();
        }
      },
      20_000,
      'private Redis',
    );
  };
  const stop = async () => {
    const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
    child?.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart({ keepData }) {
      await stop();
      if (!keepData) {
        rmSync(join(dir, 'appendonlydir'), { recursive: true, force: true });
        rmSync(join(dir, 'dump.rdb'), { force: true });
      }
      await start();
    },
    async destroy() {
      await stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

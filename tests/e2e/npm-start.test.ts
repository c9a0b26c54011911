import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { deleteQueueKeys, testConfig } from '../support/harness.ts';

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  cleanups = [];
});

/** True while any process of the group is alive (signal 0 only checks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

describe('npm start', () => {
  it('stops, with everything it started, when a process manager sends SIGTERM to the npm process', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const config = testConfig(database.url);
    cleanups.push(() => deleteQueueKeys(config));
    // A process group of its own: the test signals npm alone, as a process manager would, and
    // then asks whether anything of the group (npm, a shell, node) is still alive.
    const npm: ChildProcess = spawn('npm', ['start'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: '0',
        HOST: '127.0.0.1',
        HEARTH_QUEUE_PREFIX: config.queuePrefix,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const pgid = npm.pid as number;
    cleanups.push(async () => {
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    });
    let out = '';
    npm.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    npm.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const port = await eventually(() => /"port":(\d+).*api listening/.exec(out)?.[1], 60_000, 'api to listen');
    await eventually(() => out.includes('workers started'), 30_000, 'workers to start');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const npmExit = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    process.kill(pgid, 'SIGTERM');
    await npmExit;
    await eventually(() => !groupAlive(pgid), 20_000, 'every process of npm start to exit');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    // It shut down gracefully (the signal reached node), not by being killed.
    expect(out).toContain('"msg":"stopped"');
  });
});

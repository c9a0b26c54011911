import { type ChildProcess, spawn } from 'node:child_process';
import type { Config } from '../../src/config/config.ts';
import { eventually } from './eventually.ts';

/**
 * Starts a Hearth process on a test's config (see tests/support/fault-process.ts) and resolves
 * once it serves, with its port for an API process. One that does not start in time is killed.
 */
export async function spawnHearth(role: 'api' | 'workers', config: Config): Promise<{ child: ChildProcess; port?: number }> {
  const { child, output } = spawnTsx(['tests/support/fault-process.ts', role, JSON.stringify(config)]);
  try {
    return await eventually(
      () => {
        const out = output();
        const port = /LISTENING (\d+)/.exec(out)?.[1];
        if (port) return { child, port: Number(port) };
        return out.includes('READY') ? { child } : undefined;
      },
      90_000,
      `${role} process to start: ${output().slice(-500)}`,
    );
  } catch (err) {
    await killed(child);
    throw err;
  }
}

/** Runs a TypeScript file in a child node process, collecting what it prints on either stream. */
export function spawnTsx(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { child, output: () => out };
}

/** Kills a process with SIGKILL, as a crash would, and waits until it is gone. */
export async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CliRun } from '../../support/cli.ts';

/**
 * The real `hearth` binary, as `npx hearth` starts it. Every other CLI test runs the same
 * program in-process (tests/support/cli.ts); these two check what only the process adds:
 * bin.js loading the TypeScript sources, and exit codes.
 */
function binary(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['src/cli/bin.js', ...args], { env: { PATH: process.env.PATH } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the hearth binary', () => {
  it('prints its help and exits 0', async () => {
    const run = await binary(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: hearth \[options\] \[command\]/);
    for (const command of ['forums', 'keys', 'score', 'eval', 'publish']) expect(run.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
  });

  it('exits 1 with a one-line message on a mistake a user can fix', async () => {
    const run = await binary(['score', '--input', 'tests/fixtures/no-such-file.jsonl']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('hearth: tests/fixtures/no-such-file.jsonl: no such file or directory\n');
  });
});

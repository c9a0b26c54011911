import { Readable } from 'node:stream';
import { runHearth } from '../../src/cli/program.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Text on standard input, for `--input -` and `--dataset -`. */
  stdin?: string;
  /**
   * The whole environment the command sees: nothing of the test process's own leaks in, so a
   * developer's DATABASE_URL or HEARTH_ALLOW_PRIVATE_CALLBACKS cannot change an answer.
   */
  env?: Record<string, string>;
}

/**
 * Runs `hearth …` in this process, as `npx hearth` would run it, and collects what it printed.
 * Starting node and tsx for every call took seconds each on a loaded machine; the real binary
 * keeps a test of its own (tests/integration/cli/binary.test.ts).
 */
export async function hearth(args: string[], options: CliOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runHearth(args, {
    stdout: {
      write(text: string) {
        stdout += text;
      },
    },
    stderr: {
      write(text: string) {
        stderr += text;
      },
    },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

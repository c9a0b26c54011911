import { Readable } from 'node:stream';
import { type Config, configFromEnv } from '../config/config.ts';
import { readEnv } from '../config/env.ts';

/** Somewhere a command writes text: the process's stdout or stderr, or a buffer in tests. */
export interface CliOutput {
  write(text: string): unknown;
  /** Set on a terminal: progress bars and help layout depend on it. */
  isTTY?: boolean;
  columns?: number;
}

/** What a caller of `runHearth` provides. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Read only by `--input -` and `--dataset -`; empty when absent. */
  stdin?: NodeJS.ReadableStream;
  /**
   * The variables to build the configuration from (DATABASE_URL, OPENAI_API_KEY…). Absent:
   * the process's own, read by src/config/env.ts like everywhere else.
   */
  env?: Record<string, string | undefined>;
}

/** What every subcommand works with during one run. */
export interface Cli {
  stdout: CliOutput;
  stderr: CliOutput;
  readonly stdin: NodeJS.ReadableStream;
  /** The configuration, validated when a command first needs it, so `score` runs whatever DATABASE_URL says. */
  config(): Config;
  /** Set to 1 by a command that printed its result and must still fail, as `process.exitCode` would be. */
  exitCode: number;
}

export function createCli(io: CliIo): Cli {
  let config: Config | undefined;
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    get stdin() {
      // A getter: the process's stdin is opened only by a command that reads it.
      return io.stdin ?? Readable.from([]);
    },
    config() {
      config ??= configFromEnv(readEnv(io.env));
      return config;
    },
    exitCode: 0,
  };
}

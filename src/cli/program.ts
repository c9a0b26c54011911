import { Command, CommanderError } from 'commander';
import { AppError } from '../errors.ts';
import { DatasetError } from '../evaluation/dataset.ts';
import { PolicyFileError } from '../policies/loader.ts';
import { auditCommand } from './audit-command.ts';
import { authorsCommand } from './authors-command.ts';
import { claimsCommand } from './claims-command.ts';
import { type Cli, type CliIo, type CliOutput, createCli } from './cli-io.ts';
import { detectorsCommand } from './detectors-command.ts';
import { diffCommand } from './diff-command.ts';
import { evalCommand } from './eval-command.ts';
import { forumsCommand } from './forums-command.ts';
import { keysCommand } from './keys-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { policiesCommand } from './policies-command.ts';
import { publishCommand } from './publish-command.ts';
import { receiveCommand } from './receive-command.ts';
import { remediesCommand } from './remedies-command.ts';
import { scoreCommand } from './score-command.ts';
import { sweepCommand } from './sweep-command.ts';
import { trainCommand } from './train-command.ts';
import { labelsCommand, replayCommand } from './tuning-commands.ts';

/** The `hearth` command tree for one run, writing through `cli` and never exiting the process. */
export function buildProgram(cli: Cli): Command {
  const program = new Command('hearth').description('Hearth: moderation for health support communities').showHelpAfterError();
  for (const command of [
    forumsCommand(cli),
    keysCommand(cli),
    migrateCommand(cli),
    receiveCommand(cli),
    auditCommand(cli),
    remediesCommand(cli),
    authorsCommand(cli),
    trainCommand(cli),
    scoreCommand(cli),
    evalCommand(cli),
    detectorsCommand(cli),
    policiesCommand(cli),
    claimsCommand(cli),
    sweepCommand(cli),
    diffCommand(cli),
    replayCommand(cli),
    labelsCommand(cli),
    publishCommand(cli),
  ])
    program.addCommand(command);
  // addCommand does not pass settings down, and a subcommand without them would call
  // process.exit and print to the process's streams itself.
  const output = {
    writeOut: (text: string) => cli.stdout.write(text),
    writeErr: (text: string) => cli.stderr.write(text),
    getOutHelpWidth: () => width(cli.stdout),
    getErrHelpWidth: () => width(cli.stderr),
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  };
  const configure = (command: Command) => {
    command.exitOverride().configureOutput(output);
    for (const sub of command.commands) configure(sub);
  };
  configure(program);
  return program;
}

/** Help wraps to the terminal, or to commander's own 80 columns when writing to a pipe or buffer. */
function width(stream: CliOutput): number {
  return (stream.isTTY && stream.columns) || 80;
}

/**
 * Runs `hearth` with `argv` (the arguments after the command name) and answers the exit code.
 * Errors a user can act on are printed as one line each; nothing here ends the process, so
 * tests run commands in-process and `main.ts` owns the process-level behaviour.
 */
export async function runHearth(argv: string[], io: CliIo): Promise<number> {
  const cli = createCli(io);
  try {
    await buildProgram(cli).parseAsync(argv, { from: 'user' });
    return cli.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const known = err instanceof AppError || err instanceof PolicyFileError || err instanceof DatasetError;
    // A dataset error lists one problem a line; each gets the prefix so it reads as its own message.
    for (const line of (err as Error).message.split('\n')) cli.stderr.write(`hearth: ${line}\n`);
    if (!known) cli.stderr.write('hearth: unexpected error; check DATABASE_URL and that PostgreSQL is running\n');
    return 1;
  }
}

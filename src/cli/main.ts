import { Command, CommanderError } from 'commander';
import { AppError } from '../errors.ts';
import { DatasetError } from '../evaluation/dataset.ts';
import { PolicyFileError } from '../policies/loader.ts';
import { auditCommand } from './audit-command.ts';
import { detectorsCommand } from './detectors-command.ts';
import { diffCommand } from './diff-command.ts';
import { evalCommand } from './eval-command.ts';
import { forumsCommand } from './forums-command.ts';
import { keysCommand } from './keys-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { policiesCommand } from './policies-command.ts';
import { publishCommand } from './publish-command.ts';
import { receiveCommand } from './receive-command.ts';
import { scoreCommand } from './score-command.ts';
import { sweepCommand } from './sweep-command.ts';
import { trainCommand } from './train-command.ts';
import { labelsCommand, replayCommand } from './tuning-commands.ts';

const program = new Command('hearth').description('Hearth: moderation for health support communities').showHelpAfterError().exitOverride();
program.addCommand(forumsCommand());
program.addCommand(keysCommand());
program.addCommand(migrateCommand());
program.addCommand(receiveCommand());
program.addCommand(auditCommand());
program.addCommand(trainCommand());
program.addCommand(scoreCommand());
program.addCommand(evalCommand());
program.addCommand(detectorsCommand());
program.addCommand(policiesCommand());
program.addCommand(sweepCommand());
program.addCommand(diffCommand());
program.addCommand(replayCommand());
program.addCommand(labelsCommand());
program.addCommand(publishCommand());

// `hearth score … | head` closes the pipe early; that is the reader being done, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  // Errors a user can act on are one line, not a stack trace.
  const known = err instanceof AppError || err instanceof PolicyFileError || err instanceof DatasetError;
  // A dataset error lists one problem a line; each gets the prefix so it reads as its own message.
  for (const line of (err as Error).message.split('\n')) process.stderr.write(`hearth: ${line}\n`);
  if (!known) process.stderr.write('hearth: unexpected error; check DATABASE_URL and that PostgreSQL is running\n');
  process.exit(1);
}

import { Command, CommanderError } from 'commander';
import { AppError } from '../errors.ts';
import { PolicyFileError } from '../policies/loader.ts';
import { auditCommand } from './audit-command.ts';
import { forumsCommand } from './forums-command.ts';
import { keysCommand } from './keys-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { receiveCommand } from './receive-command.ts';

const program = new Command('hearth').description('Hearth: moderation for health support communities').showHelpAfterError().exitOverride();
program.addCommand(forumsCommand());
program.addCommand(keysCommand());
program.addCommand(migrateCommand());
program.addCommand(receiveCommand());
program.addCommand(auditCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  // Errors a user can act on are one line, not a stack trace.
  const known = err instanceof AppError || err instanceof PolicyFileError;
  process.stderr.write(`hearth: ${(err as Error).message}\n`);
  if (!known) process.stderr.write('hearth: unexpected error; check DATABASE_URL and that PostgreSQL is running\n');
  process.exit(1);
}

import { runHearth } from './program.ts';

// `hearth score … | head` closes the pipe early; that is the reader being done, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

const code = await runHearth(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // A getter, so standard input is opened only by a command that reads it.
  get stdin() {
    return process.stdin;
  },
});
process.exitCode = code;
// A failed command may leave a connection half-open; end once what was printed is flushed,
// as `hearth` always has. A successful one ends by itself (`receive` keeps listening).
if (code !== 0) process.stdout.write('', () => process.exit(code));

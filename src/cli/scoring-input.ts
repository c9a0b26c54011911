import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { DatasetError } from '../evaluation/dataset.ts';
import { loadPolicySet, PolicyFileError, type PolicySet } from '../policies/loader.ts';

/** How a `--input`/`--dataset` value is named in messages. */
export function sourceName(source: string): string {
  return source === '-' ? 'stdin' : source;
}

/** Reads a file, or standard input for `-`. A missing or unreadable file is a one-line error. */
export async function readInput(source: string): Promise<string> {
  try {
    return source === '-' ? await text(process.stdin) : await readFile(source, 'utf8');
  } catch (err) {
    throw new DatasetError(sourceName(source), [{ line: 0, message: describeFsError(err) }]);
  }
}

/**
 * Loads the policy set, turning a mistyped `--policies` directory into a one-line error rather
 * than a stack trace.
 */
export async function loadPolicies(dir: string | undefined): Promise<PolicySet> {
  try {
    return await loadPolicySet(dir);
  } catch (err) {
    if (err instanceof PolicyFileError || !(err as NodeJS.ErrnoException).code) throw err;
    throw new PolicyFileError(dir ?? 'policies', [describeFsError(err)]);
  }
}

function describeFsError(err: unknown): string {
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    ENOTDIR: 'not a directory',
    EISDIR: 'is a directory, not a file',
    EACCES: 'permission denied',
  };
  const code = (err as NodeJS.ErrnoException).code;
  return (code && known[code]) ?? (err as Error).message;
}

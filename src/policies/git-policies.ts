import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../errors.ts';
import { defaultPoliciesDir, isPolicySetFile, type PolicyFiles, readPolicyFiles } from './loader.ts';

const git = promisify(execFile);

/**
 * The policy files of a directory or, when `base` is not a directory, of the repository's
 * policies/ at a git revision (a branch, tag or commit), read with `git show` so the working
 * tree is never touched.
 */
export async function readPolicyFilesAt(
  base: string,
  policiesDir: string = defaultPoliciesDir,
): Promise<{ files: PolicyFiles; label: string }> {
  const isDir = await stat(base).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isDir) return { files: await readPolicyFiles(base), label: base };

  const repo = await git('git', ['rev-parse', '--show-toplevel'], { cwd: dirname(policiesDir) }).then(
    (r) => r.stdout.trim(),
    () => {
      throw new AppError(
        'bad_request',
        `${base} is not a directory, and ${policiesDir} is not in a git repository to read a revision from`,
      );
    },
  );
  const prefix = relative(repo, policiesDir).split('\\').join('/');
  const commit = await git('git', ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: repo }).then(
    (r) => r.stdout.trim(),
    () => {
      throw new AppError(
        'bad_request',
        `${base} is neither a directory nor a git revision (try a branch, a tag or a commit such as HEAD~1)`,
      );
    },
  );
  const listing = await git('git', ['ls-tree', '-r', '--name-only', commit, `${prefix}/`], { cwd: repo });
  const files: PolicyFiles = new Map();
  for (const path of listing.stdout.split('\n').filter(Boolean)) {
    const name = path.slice(prefix.length + 1);
    if (!isPolicySetFile(name)) continue;
    const shown = await git('git', ['show', `${commit}:${path}`], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
    files.set(name, shown.stdout);
  }
  if (files.size === 0) throw new AppError('bad_request', `${base} has no policy files under ${prefix}/`);
  return { files, label: `${base} (${commit.slice(0, 10)})` };
}

import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { defaultPoliciesDir } from '../policies/loader.ts';
import { publishPolicySet } from '../tuning/publish-policies.ts';
import type { Cli } from './cli-io.ts';
import { withDatabase } from './database.ts';
import { print } from './output.ts';
import { readPolicyDir } from './policies-command.ts';

/** Who is publishing: git's user.name where there is one, else the login name. */
async function defaultAuthor(): Promise<string> {
  const name = await promisify(execFile)('git', ['config', 'user.name']).then(
    (r) => r.stdout.trim(),
    () => '',
  );
  return name || userInfo().username;
}

/** `hearth publish`: validate, test and record a policy set; workers switch to it. */
export function publishCommand(cli: Cli): Command {
  return new Command('publish')
    .description('validate and test a policy set, then record it as the one in force; running workers switch to it within seconds')
    .option('--policies <dir>', "policy directory (default: the repository's policies/)")
    .option('--message <text>', 'why this change (kept with the set and in every forum audit trail)')
    .option('--author <name>', "who publishes (default: git's user.name, else the login name)")
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nNothing is published when a file does not validate or a policy gets one of\nits own examples wrong. New decisions name the published version.\n\nExample:\n  npx hearth publish --message "hostility: review from 0.45"',
    )
    .action(async (opts: { policies?: string; message?: string; author?: string; json?: boolean }) => {
      const source = opts.policies ?? defaultPoliciesDir;
      const files = await readPolicyDir(source);
      const author = opts.author ?? (await defaultAuthor());
      const publication = await withDatabase(cli, ({ db }) => publishPolicySet(db, files, { source, author, message: opts.message }));
      print(cli.stdout, { ...publication }, Boolean(opts.json));
    });
}

import { Command } from 'commander';
import { AppError } from '../errors.ts';
import { runPolicyExamples } from '../evaluation/policy-examples.ts';
import { defaultPoliciesDir, readPolicyFiles } from '../policies/loader.ts';
import { validatePolicyFiles } from '../policies/validate-policies.ts';
import type { Cli } from './cli-io.ts';
import { policiesLintCommand } from './policies-lint-command.ts';
import { describeFsError } from './scoring-input.ts';

const dirArgument = ['[dir]', "policy directory (default: the repository's policies/)"] as const;

/** A policy directory's files; a missing directory is a one-line error. */
export async function readPolicyDir(dir: string) {
  try {
    return await readPolicyFiles(dir);
  } catch (err) {
    throw new AppError('bad_request', `${dir}: ${describeFsError(err)}`);
  }
}

/** `hearth policies validate|test|lint`: check policy files before anyone relies on them. */
export function policiesCommand(cli: Cli): Command {
  const policies = new Command('policies').description(
    'check policy files: their schema, their own examples, and how well their rules generalise',
  );

  policies
    .command('validate')
    .description('check every policy file against the schema; report each problem with file, line and field')
    .argument(...dirArgument)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  npx hearth policies validate\n  npx hearth policies validate ./draft-policies --json')
    .action(async (dir: string | undefined, opts: { json?: boolean }) => {
      const source = dir ?? defaultPoliciesDir;
      const { set, errors } = validatePolicyFiles(await readPolicyDir(source), source);
      const problems = errors.flatMap((e) => e.problems.map((p) => ({ file: e.file, ...p })));
      if (opts.json) {
        cli.stdout.write(`${JSON.stringify({ ok: errors.length === 0, version: set?.version ?? null, problems })}\n`);
      } else if (set) {
        const signals = set.policies.reduce((n, p) => n + p.signals.length, 0);
        cli.stdout.write(`ok: ${set.policies.length} policies, ${signals} signals, version ${set.version}\n`);
      } else {
        for (const e of errors) cli.stdout.write(`${e.message}\n`);
        cli.stdout.write(
          `\n${problems.length} problem${problems.length === 1 ? '' : 's'} in ${errors.length} file${errors.length === 1 ? '' : 's'}; fix them and run this again\n`,
        );
      }
      if (errors.length > 0) cli.exitCode = 1;
    });

  policies
    .command('test')
    .description("score every policy's own examples; list the ones it gets wrong, with their evidence")
    .argument(...dirArgument)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  npx hearth policies test\n  npx hearth policies test ./draft-policies')
    .action(async (dir: string | undefined, opts: { json?: boolean }) => {
      const source = dir ?? defaultPoliciesDir;
      const { set, errors } = validatePolicyFiles(await readPolicyDir(source), source);
      if (!set) {
        for (const e of errors) cli.stderr.write(`${e.message}\n`);
        cli.stderr.write('the policies do not validate; run npx hearth policies validate first\n');
        cli.exitCode = 1;
        return;
      }
      const report = runPolicyExamples(set);
      if (opts.json) cli.stdout.write(`${JSON.stringify({ version: set.version, ...report })}\n`);
      else {
        for (const p of report.policies) cli.stdout.write(`${p.policy.padEnd(24)}${String(p.passed).padStart(4)} of ${p.examples} right\n`);
        if (report.failures.length > 0) cli.stdout.write('\nwrong:\n');
        for (const f of report.failures) {
          const what = f.kind === 'flagged' ? 'should be flagged, was not' : 'should not be flagged, was';
          cli.stdout.write(`  ${f.policy}: ${what} (score ${f.score.toFixed(2)})\n`);
          cli.stdout.write(`    ${clip(f.text, 74)}\n`);
          const evidence = f.evidence.map((e) => JSON.stringify(e.text)).join(', ');
          cli.stdout.write(`    ${clip(`${f.rationale}${evidence ? ` · ${evidence}` : ''}`, 74)}\n`);
        }
      }
      if (report.failures.length > 0) cli.exitCode = 1;
    });
  policies.addCommand(policiesLintCommand(cli, readPolicyDir));
  return policies;
}

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

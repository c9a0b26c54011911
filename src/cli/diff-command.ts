import { Command } from 'commander';
import { diffResults } from '../evaluation/policy-diff.ts';
import { policyIds } from '../moderation/types.ts';
import { readPolicyFilesAt } from '../policies/git-policies.ts';
import { buildPolicySet } from '../policies/loader.ts';
import type { Cli } from './cli-io.ts';
import { loadPolicies, scoreLabelledFile } from './scoring-input.ts';

/** `hearth diff`: two policy versions on the same labelled posts. */
export function diffCommand(cli: Cli): Command {
  return new Command('diff')
    .description('compare two policy versions on the same labelled posts: which change action and why, and metric deltas')
    .requiredOption(
      '--base <ref-or-dir>',
      'the version to compare against: a policy directory, or a git revision of policies/ (HEAD, main, a tag, a commit)',
    )
    .option('--policies <dir>', "the draft: a policy directory (default: the repository's policies/ as they are now)")
    .requiredOption('--dataset <file>', 'labelled posts as JSON Lines; - reads standard input')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  npx hearth diff --base HEAD --dataset labelled.jsonl\n  npx hearth diff --base ./before --policies ./draft --dataset set.jsonl --json',
    )
    .action(async (opts: { base: string; policies?: string; dataset: string; json?: boolean }) => {
      const { files, label } = await readPolicyFilesAt(opts.base);
      const baseSet = buildPolicySet(files, label);
      const draftSet = await loadPolicies(opts.policies);
      const draft = await scoreLabelledFile(cli, opts.dataset, undefined, draftSet);
      const base = await scoreLabelledFile(cli, opts.dataset, undefined, baseSet);
      const diff = diffResults(base.results, draft.results);
      const draftLabel = opts.policies ?? 'policies/ (working tree)';
      if (opts.json) {
        cli.stdout.write(
          `${JSON.stringify({ dataset: draft.source, base: { source: label, version: baseSet.version }, draft: { source: draftLabel, version: draftSet.version }, ...diff })}\n`,
        );
        return;
      }
      const pair = (a: number, b: number) => `${a.toFixed(3)} → ${b.toFixed(3)}`.padEnd(17);
      const out = [
        `base   ${label}  ${baseSet.version}`,
        `draft  ${draftLabel}  ${draftSet.version}`,
        `${diff.posts} posts from ${draft.source}: ${diff.changed.length} change action`,
        '',
        `${'policy'.padEnd(22)}${'precision'.padEnd(18)}${'recall'.padEnd(18)}F1`,
      ];
      for (const p of policyIds) {
        const { base: b, draft: d } = diff.metrics[p];
        const delta = d.f1 - b.f1;
        out.push(
          `${p.padEnd(22)}${pair(b.precision, d.precision)} ${pair(b.recall, d.recall)} ${pair(b.f1, d.f1)}${Math.abs(delta) >= 0.0005 ? ` ${delta > 0 ? '+' : ''}${delta.toFixed(3)}` : ''}`.trimEnd(),
        );
      }
      out.push(`${'macro F1'.padEnd(58)}${pair(diff.macro_f1.base, diff.macro_f1.draft)}`.trimEnd());
      out.push(
        `clean posts flagged ${(diff.clean_flagged_rate.base * 100).toFixed(1)}% → ${(diff.clean_flagged_rate.draft * 100).toFixed(1)}%`,
      );
      if (diff.changed.length > 0) out.push('', 'posts that change action:');
      for (const c of diff.changed) {
        out.push(clip(`  ${c.id}  ${c.base} → ${c.draft}  ${c.labels.length > 0 ? `labelled ${c.labels.join(', ')}` : 'clean'}`));
        out.push(clip(`    ${c.excerpt}`));
        for (const p of c.policies) {
          const evidence = p.evidence.map((e) => JSON.stringify(e)).join(', ');
          out.push(
            clip(
              `    ${p.policy} ${p.base.score.toFixed(2)} → ${p.draft.score.toFixed(2)} ${p.draft.flagged ? 'now flagged' : 'no longer flagged'}: ${p.rationale}${evidence ? ` · ${evidence}` : ''}`,
            ),
          );
        }
      }
      cli.stdout.write(`${out.join('\n')}\n`);
    });
}

function clip(line: string): string {
  return line.length <= 80 ? line : `${line.slice(0, 79)}…`;
}

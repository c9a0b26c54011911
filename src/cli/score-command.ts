import { Command } from 'commander';
import { readDataset } from '../evaluation/dataset.ts';
import { scoreDatasetPost } from '../evaluation/score-dataset.ts';
import { createLocalScorer } from '../moderation/local-scorer.ts';
import type { Cli } from './cli-io.ts';
import { loadPolicies, readInput, sourceName } from './scoring-input.ts';

/** `hearth score`: pure local scoring of a JSON Lines file, no PostgreSQL or Redis. */
export function scoreCommand(cli: Cli): Command {
  return new Command('score')
    .description('score posts from a JSON Lines file and print one verdict per line, in input order (no database needed)')
    .requiredOption('--input <file>', 'posts as JSON Lines: {"id", "text", "format"?, ...} a line; - reads standard input')
    .option('--policies <dir>', "policy directory (default: the repository's policies/)")
    .addHelpText(
      'after',
      [
        '',
        'Each output line: {"id", "action", "urgent", "language"?, "policies": [{"policy", "score",',
        '"flagged", "evidence": [{"start", "end", "text"}], "rationale"}]}. Evidence offsets index the',
        'post text. A malformed line is reported with its line number and nothing is scored.',
        '',
        'Examples:',
        '  npx hearth score --input posts.jsonl > verdicts.jsonl',
        `  echo '{"id":"p1","text":"I take 300 mg gabapentin"}' | npx hearth score --input -`,
      ].join('\n'),
    )
    .action(async (opts: { input: string; policies?: string }) => {
      const [content, policySet] = await Promise.all([readInput(cli, opts.input), loadPolicies(opts.policies)]);
      // Validate the whole input before printing anything: a half-scored file is easy to mistake for a whole one.
      const posts = readDataset(content, sourceName(opts.input));
      const scorer = createLocalScorer(policySet.policies, policySet.model, policySet.knowledge);
      let out = '';
      for (const post of posts) {
        const { ms: _ms, ...verdict } = scoreDatasetPost(policySet, scorer, post);
        out += `${JSON.stringify(verdict)}\n`;
      }
      cli.stdout.write(out);
    });
}

import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { renderHtmlReport } from '../evaluation/html-report.ts';
import { evaluate } from '../evaluation/metrics.ts';
import { formatEvaluation } from './eval-report.ts';
import { scoreLabelledFile } from './scoring-input.ts';

/** `hearth eval`: scores a labelled dataset and reports per-policy quality, no database needed. */
export function evalCommand(): Command {
  return new Command('eval')
    .description('score a labelled JSON Lines dataset and report precision, recall and F1 per policy, and every miss')
    .requiredOption(
      '--dataset <file>',
      'labelled posts as JSON Lines: {"id", "text", "labels": [...], "format"?} a line; - reads standard input',
    )
    .option('--policies <dir>', "policy directory (default: the repository's policies/)")
    .option('--json', 'print one JSON object instead of the table')
    .option('--html <file>', 'also write a self-contained page with a precision-recall curve and a score histogram per policy')
    .option('--min-f1 <x>', 'exit 1 when macro F1 is below x (for CI)', parseMinF1)
    .addHelpText(
      'after',
      [
        '',
        'Labels are policy ids (misinformation, unsafe_medical_advice, hostility, privacy_leak,',
        'self_harm); [] marks a clean post. Unknown labels, duplicate ids and malformed lines are',
        'reported with their line numbers and nothing is scored.',
        '',
        'Examples:',
        '  npx hearth eval --dataset ../shared/datasets/forum-posts.dev.jsonl',
        '  npx hearth eval --dataset labelled.jsonl --policies ./policies --json --min-f1 0.8',
        '  npx hearth eval --dataset labelled.jsonl --html report.html',
      ].join('\n'),
    )
    .action(async (opts: { dataset: string; policies?: string; json?: boolean; html?: string; minF1?: number }) => {
      const { source, policySet, results } = await scoreLabelledFile(opts.dataset, opts.policies);
      const report = evaluate(results);
      if (opts.html) {
        await writeFile(opts.html, renderHtmlReport({ source, policySet, report, results }));
        process.stderr.write(`hearth: wrote ${opts.html}\n`);
      }
      if (opts.json) process.stdout.write(`${JSON.stringify({ dataset: source, policy_set_version: policySet.version, ...report })}\n`);
      else process.stdout.write(formatEvaluation(report, { source, policySetVersion: policySet.version }));
      if (opts.minF1 !== undefined && report.macro_f1 < opts.minF1) {
        process.stderr.write(`hearth: macro F1 ${report.macro_f1.toFixed(3)} is below --min-f1 ${opts.minF1}\n`);
        process.exitCode = 1;
      }
    });
}

function parseMinF1(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number such as 0.8');
  return n;
}

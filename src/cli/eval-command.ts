import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { AppError } from '../errors.ts';
import type { LabelledPost } from '../evaluation/dataset.ts';
import { renderHtmlReport } from '../evaluation/html-report.ts';
import { scoreWithLlm } from '../evaluation/llm-eval.ts';
import { evaluate } from '../evaluation/metrics.ts';
import { obfuscate, seedOf } from '../evaluation/obfuscate.ts';
import type { Part } from '../evaluation/splits.ts';
import { localLlmDeps } from '../llm/local-llm-deps.ts';
import { createLocalScorer } from '../moderation/local-scorer.ts';
import type { PolicySet } from '../policies/loader.ts';
import type { Cli } from './cli-io.ts';
import { partOption, prevalenceOption, readDatasetPart, splitsOption } from './dataset-part.ts';
import { formatEvaluation } from './eval-report.ts';
import { progress } from './progress.ts';
import { loadPolicies, scoreLabelled } from './scoring-input.ts';

/** `hearth eval`: scores a labelled dataset and reports per-policy quality, no database needed. */
export function evalCommand(cli: Cli): Command {
  return new Command('eval')
    .description('score a labelled JSON Lines dataset and report precision, recall and F1 per policy, and every miss')
    .requiredOption(
      '--dataset <file>',
      'labelled posts as JSON Lines: {"id", "text", "labels": [...], "format"?} a line; - reads standard input',
    )
    .option('--policies <dir>', "policy directory (default: the repository's policies/)")
    .addOption(partOption())
    .addOption(prevalenceOption())
    .addOption(splitsOption())
    .option('--json', 'print one JSON object instead of the table')
    .option(
      '--obfuscate',
      'disguise the posts first as evaders do (leetspeak, zero-width characters, look-alike letters, spaced letters), the same way every run',
    )
    .option('--html <file>', 'also write a self-contained page with a precision-recall curve and a score histogram per policy')
    .option('--min-f1 <x>', 'exit 1 when macro F1 is below x (for CI)', parseMinF1)
    .option('--llm', 'also send uncertain posts to the LLM (OPENAI_API_KEY, OPENAI_BASE_URL, HEARTH_LLM_MODEL), as the workers do')
    .option('--input-price <usd>', 'with --llm: US dollars per million prompt tokens', parsePrice, 0.15)
    .option('--output-price <usd>', 'with --llm: US dollars per million completion tokens', parsePrice, 0.6)
    .option('--concurrency <n>', 'with --llm: calls in flight at once', parseConcurrency, 4)
    .addHelpText(
      'after',
      [
        '',
        'Labels are policy ids (misinformation, unsafe_medical_advice, hostility, privacy_leak,',
        'self_harm); [] marks a clean post. Unknown labels, duplicate ids and malformed lines are',
        'reported with their line numbers and nothing is scored.',
        '',
        'A public set with a split in datasets/splits/ (found by file name) is scored on its',
        'report part, never trained or tuned on; --part train|all chooses otherwise. The',
        "header says how the scored rows were used: a split's part, the use the manifest",
        "records for the repository's own sets, or that the file is unknown.",
        '',
        'queue: the share of flags that would be right if --prevalence of posts broke the',
        'policy: p·recall / (p·recall + (1 − p)·share of clean posts flagged).',
        '',
        'Examples:',
        '  npx hearth eval --dataset datasets/check-2.jsonl',
        '  npx hearth eval --dataset labelled.jsonl --policies ./policies --json --min-f1 0.8',
        '  npx hearth eval --dataset labelled.jsonl --html report.html',
        '  OPENAI_API_KEY=… npx hearth eval --dataset labelled.jsonl --llm --input-price 0.15',
      ].join('\n'),
    )
    .action(async (opts: EvalOptions) => {
      const [read, policySet] = await Promise.all([readDatasetPart(cli, opts.dataset, opts, 'report'), loadPolicies(opts.policies)]);
      const { source, rows } = read;
      for (const warning of rows.warnings) cli.stderr.write(`hearth: ${source}: ${warning}\n`);
      const posts = opts.obfuscate ? read.posts.map((p) => ({ ...p, text: obfuscate(p.text, seedOf(p.id)) })) : read.posts;
      const { results, llm } = opts.llm
        ? await scoreWithTheLlm(cli, source, posts, policySet, opts)
        : { results: scoreLabelled(cli, source, posts, policySet), llm: undefined };
      const report = evaluate(results, { prevalence: opts.prevalence });
      if (opts.html) {
        const named = rows.part && rows.part !== 'all' ? `${source} (${rows.part} part)` : source;
        await writeFile(opts.html, renderHtmlReport({ source: named, policySet, report, results }));
        cli.stderr.write(`hearth: wrote ${opts.html}\n`);
      }
      if (opts.json) {
        const about = {
          part: rows.part,
          use: rows.use,
          use_note: rows.note,
          rows_in_file: rows.rows_in_file,
          rows_scored: rows.rows_scored,
        };
        cli.stdout.write(
          `${JSON.stringify({ dataset: source, policy_set_version: policySet.version, ...about, ...report, ...(llm ? { llm } : {}) })}\n`,
        );
      } else cli.stdout.write(formatEvaluation(report, { source, policySetVersion: policySet.version, rows }, llm));
      if (opts.minF1 !== undefined && report.macro_f1 < opts.minF1) {
        cli.stderr.write(`hearth: macro F1 ${report.macro_f1.toFixed(3)} is below --min-f1 ${opts.minF1}\n`);
        cli.exitCode = 1;
      }
    });
}

interface EvalOptions {
  dataset: string;
  obfuscate?: boolean;
  policies?: string;
  part?: Part;
  prevalence: number;
  splits?: string;
  json?: boolean;
  html?: string;
  minF1?: number;
  llm?: boolean;
  inputPrice: number;
  outputPrice: number;
  concurrency: number;
}

async function scoreWithTheLlm(cli: Cli, source: string, posts: LabelledPost[], policySet: PolicySet, opts: EvalOptions) {
  const config = cli.config();
  if (!config.llm.apiKey)
    throw new AppError('bad_request', '--llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for an endpoint other than OpenAI)');
  const bar = progress(cli.stderr, posts.length, `scoring ${source} with ${config.llm.model}`);
  const scored = await scoreWithLlm(
    policySet,
    createLocalScorer(policySet.policies, policySet.model, policySet.knowledge),
    posts,
    localLlmDeps(config),
    {
      prices: { input: opts.inputPrice, output: opts.outputPrice },
      concurrency: opts.concurrency,
      onPost: () => bar.tick(),
    },
  );
  bar.done();
  return scored;
}

function parsePrice(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('expected US dollars per million tokens, such as 0.15');
  return n;
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

function parseMinF1(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number such as 0.8');
  return n;
}

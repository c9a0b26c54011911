import { readdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { Command } from 'commander';
import { AppError } from '../errors.ts';
import { readDataset } from '../evaluation/dataset.ts';
import {
  type AlternativeFinding,
  type LintReport,
  type LintSource,
  lintInputOf,
  lintPolicies,
  TOP_WORD_FEATURES,
} from '../policies/lint-policies.ts';
import { defaultPoliciesDir, type PolicyFiles } from '../policies/loader.ts';
import { validatePolicyFiles } from '../policies/validate-policies.ts';
import type { Cli, CliOutput } from './cli-io.ts';
import { readInput, sourceName } from './scoring-input.ts';

const repoRoot = join(defaultPoliciesDir, '..');
/** The labelled sets a rule may be written and judged against, when no --dataset is given. */
const defaultDatasets = ['forum-posts.dev.jsonl', 'holdout-check.jsonl', 'check-2.jsonl', 'check-3.jsonl', 'forum-posts.tune.jsonl'];
/** Measured once for a release's figures: a rule judged against it turns it into a tuning set. */
const REPORT_ONLY = 'forum-posts.report.jsonl';
const WIDTH = 100;

interface LintOptions {
  dataset?: string[];
  json?: boolean;
}

/** `hearth policies lint`: rules and a model that only fit the posts they were written around. */
export function policiesLintCommand(cli: Cli, readPolicyDir: (dir: string) => Promise<PolicyFiles>): Command {
  return new Command('lint')
    .description("report pattern alternatives supported by one post or one source, and stop words among the model's heaviest features")
    .argument('[dir]', "policy directory (default: the repository's policies/)")
    .option(
      '--dataset <file...>',
      `labelled JSON Lines files (default: the dev, tune and check sets in datasets/, and <dir>/training/set-*.jsonl; never ${REPORT_ONLY})`,
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      [
        '',
        'Each signal pattern is split into its top-level alternatives; each is matched alone against the',
        "matching view of every labelled post, the policies' own examples included (one source per policy",
        'file). Reported: alternatives matching exactly one post, alternatives whose posts all come from one',
        `source, and policies whose ${TOP_WORD_FEATURES} heaviest word features in _model.json include a stop word or a pair`,
        'of stop words. Alternatives matching no post are listed as unsupported but do not fail the lint.',
        '',
        'Examples:',
        '  npx hearth policies lint',
        '  npx hearth policies lint ./draft-policies --dataset datasets/check-2.jsonl --json',
      ].join('\n'),
    )
    .action(async (dir: string | undefined, opts: LintOptions) => {
      const policiesDir = dir ?? defaultPoliciesDir;
      const files = await readPolicyDir(policiesDir);
      const { set, errors } = validatePolicyFiles(files, policiesDir);
      if (!set) {
        for (const e of errors) cli.stderr.write(`${e.message}\n`);
        cli.stderr.write('the policies do not validate; run npx hearth policies validate first\n');
        cli.exitCode = 1;
        return;
      }
      const datasets = await readSources(cli, opts.dataset ?? (await defaultDatasetFiles(policiesDir)));
      const report = lintPolicies(lintInputOf(files, set, datasets));
      if (opts.json) cli.stdout.write(`${JSON.stringify({ policy_set_version: set.version, ...toJson(report, datasets) })}\n`);
      else printReport(cli.stdout, report, datasets);
      if (report.onePost.length + report.singleSource.length + report.stopWords.length > 0) cli.exitCode = 1;
    });
}

async function defaultDatasetFiles(policiesDir: string): Promise<string[]> {
  const training = join(policiesDir, 'training');
  const sets = (await readdir(training).catch(() => [] as string[])).filter((f) => /^set-.*\.jsonl$/.test(f)).sort();
  const shipped = await readdir(join(repoRoot, 'datasets')).catch(() => [] as string[]);
  return [
    ...defaultDatasets.filter((f) => shipped.includes(f)).map((f) => relative(process.cwd(), join(repoRoot, 'datasets', f))),
    ...sets.map((f) => relative(process.cwd(), join(training, f))),
  ];
}

async function readSources(cli: Cli, paths: string[]): Promise<LintSource[]> {
  const sources: LintSource[] = [];
  for (const path of paths) {
    if (basename(path) === REPORT_ONLY)
      throw new AppError('bad_request', `${path}: report-only; a rule is never written or judged against it`);
    const source = sourceName(path);
    sources.push({ source, posts: readDataset(await readInput(cli, path), source, { labelled: true }) });
  }
  return sources;
}

function toJson(report: LintReport, datasets: LintSource[]) {
  return {
    ok: report.onePost.length + report.singleSource.length + report.stopWords.length === 0,
    datasets: datasets.map((d) => ({ source: d.source, posts: d.posts.length })),
    posts: report.posts,
    alternatives: report.alternatives,
    counts: {
      one_post: report.onePost.length,
      single_source: report.singleSource.length,
      unsupported: report.unsupported.length,
      stop_word_policies: report.stopWords.length,
    },
    one_post: report.onePost,
    single_source: report.singleSource,
    unsupported: report.unsupported,
    stop_words: report.stopWords,
  };
}

function printReport(out: CliOutput, report: LintReport, datasets: LintSource[]): void {
  const total = Object.values(report.alternatives).reduce((n, a) => n + a, 0);
  out.write(
    `${total} pattern alternatives checked against ${report.posts} labelled posts (${datasets.length} files and the policies' examples)\n`,
  );
  // Caps per column: the one-post table needs room for one id, the single-source one for several.
  const sections: Array<[string, AlternativeFinding[], number[]]> = [
    ['matching exactly one post', report.onePost, [22, 20, 0, 10, 15]],
    ['matching posts from a single source', report.singleSource, [22, 20, 0, 12, 15]],
    ['matching no post (informational)', report.unsupported, [22, 20, 0, 5, 7]],
  ];
  for (const [title, findings, caps] of sections) {
    if (findings.length === 0) continue;
    out.write(`\nalternatives ${title}:\n`);
    const rows = findings.map((f) => [
      shortName(f.file),
      f.signal,
      f.alternative,
      postsCell(f),
      f.sources.map(shortName).join(', ') || '-',
    ]);
    printFitted(out, ['file', 'signal', 'alternative', 'posts', 'sources'], rows, 2, caps);
  }
  if (report.stopWords.length > 0) {
    out.write(`\nstop words among a policy's ${TOP_WORD_FEATURES} heaviest word features (_model.json):\n`);
    const rows = report.stopWords.flatMap((s) => s.features.map((f) => [s.policy, String(f.rank), f.feature, f.weight.toFixed(3)]));
    printFitted(out, ['policy', 'rank', 'feature', 'weight'], rows, 2);
  }
  out.write('\nper file:\n');
  const count = (findings: AlternativeFinding[], file: string) => String(findings.filter((f) => f.file === file).length);
  printFitted(
    out,
    ['file', 'alternatives', 'one-post', 'single-source', 'unsupported'],
    Object.entries(report.alternatives).map(([file, n]) => [
      file,
      String(n),
      count(report.onePost, file),
      count(report.singleSource, file),
      count(report.unsupported, file),
    ]),
    0,
  );
  out.write(`\none-post alternatives: ${report.onePost.length}\n`);
  out.write(`single-source alternatives: ${report.singleSource.length}\n`);
  out.write(`unsupported alternatives: ${report.unsupported.length} (informational)\n`);
  out.write(`stop-word-heavy policies: ${report.stopWords.length}\n`);
}

function postsCell(f: AlternativeFinding): string {
  if (f.posts.length <= 1) return f.posts[0]?.id ?? '0';
  return `${f.posts.length}: ${f.posts.map((p) => p.id).join(' ')}`;
}

/** A file or source without its folder and extension, to leave the alternatives room; --json has them whole. */
function shortName(file: string): string {
  return basename(file).replace(/\.(?:jsonl|ya?ml|json)$/, '');
}

/**
 * A table no wider than WIDTH: each column at most its cap (0: no cap), the flexible one takes
 * what is left, and longer cells end in "…".
 */
function printFitted(out: CliOutput, header: string[], rows: string[][], flex: number, caps: number[] = []): void {
  const natural = header.map((h, i) => Math.max(h.length, ...rows.map((r) => flat(r[i] ?? '').length)));
  const widths = natural.map((w, i) => (i !== flex && caps[i] ? Math.min(w, caps[i] ?? w) : w));
  const others = widths.reduce((n, w, i) => (i === flex ? n : n + w), 0);
  widths[flex] = Math.max(header[flex]?.length ?? 0, Math.min(natural[flex] ?? 0, WIDTH - 2 * (header.length - 1) - others));
  for (const row of [header, ...rows]) {
    out.write(
      `${row
        .map((c, i) => clip(flat(c), widths[i] ?? 0).padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

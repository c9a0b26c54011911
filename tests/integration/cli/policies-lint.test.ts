import { beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, hearth } from '../../support/cli.ts';

// A small labelled set on standard input, so the test reads no dataset file.
const posts = [
  { id: 'p-1', text: 'Stop whining, nobody cares about your pain.', labels: ['hostility'] },
  { id: 'p-2', text: 'Had a rough night, the heat pad helped a bit.', labels: [] },
]
  .map((p) => JSON.stringify(p))
  .join('\n');

describe('hearth policies lint', () => {
  let text: CliRun;
  let json: CliRun;
  beforeAll(async () => {
    [text, json] = await Promise.all([
      hearth(['policies', 'lint', '--dataset', '-'], { stdin: posts }),
      hearth(['policies', 'lint', '--dataset', '-', '--json'], { stdin: posts }),
    ]);
  });

  it('prints tables no wider than 100 columns, a count line per kind, and fails when it reports', () => {
    expect(text.stderr).toBe('');
    expect(text.code).toBe(1);
    for (const line of text.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(text.stdout).toMatch(/\nfile +signal +alternative +posts +sources\n/);
    expect(text.stdout).toMatch(
      /\none-post alternatives: \d+\nsingle-source alternatives: \d+\nunsupported alternatives: \d+ \(informational\)\nstop-word-heavy policies: \d+\n$/,
    );
  });

  it('answers the same findings as JSON, each with its posts and sources', () => {
    const report = JSON.parse(json.stdout);
    expect(json.code).toBe(1);
    expect(report.datasets).toEqual([{ source: 'stdin', posts: 2 }]);
    expect(report.counts.one_post).toBe(report.one_post.length);
    const counted = Number(text.stdout.match(/one-post alternatives: (\d+)/)?.[1]);
    expect(counted).toBe(report.one_post.length);
    type Finding = { file: string; signal: string; alternative: string; posts: unknown[]; sources: string[] };
    for (const f of report.one_post as Finding[]) expect(f.posts).toHaveLength(1);
    for (const f of report.single_source as Finding[]) expect([f.posts.length > 1, f.sources.length]).toEqual([true, 1]);
    for (const f of report.unsupported as Finding[]) expect(f.posts).toEqual([]);
  });

  it('refuses the report-only set, naming it', async () => {
    const run = await hearth(['policies', 'lint', '--dataset', 'datasets/forum-posts.report.jsonl']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^hearth: datasets\/forum-posts\.report\.jsonl: report-only/);
  });
});

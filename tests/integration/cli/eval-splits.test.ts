import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, hearth as runHearth } from '../../support/cli.ts';

// Everything here is in the repository: a fixture set with a split in tests/fixtures/splits/,
// and copies of it named like the repository's own sets, recognised by the real manifest.
const fixture = fileURLToPath(new URL('../../fixtures/forum-posts.sample.jsonl', import.meta.url));
const splits = fileURLToPath(new URL('../../fixtures/splits', import.meta.url));
const train = ['fx-01', 'fx-02', 'fx-03', 'fx-07', 'fx-08', 'fx-09'];

// Each run loads the whole policy set (claims, vectors) in this process; a few runs at once on a
// machine shared with PostgreSQL and Redis take longer than the default 30 s.
const slow = { timeout: 120_000 };

// Scoring needs neither PostgreSQL nor Redis: point both at closed ports to prove it.
const env = { DATABASE_URL: 'postgres://127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' };
const hearth = (args: string[]): Promise<CliRun> => runHearth(args, { env });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hearth-splits-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('hearth eval on a set with a split', slow, () => {
  it('scores only the report part by default, and says so', async () => {
    const [table, json] = await Promise.all([
      hearth(['eval', '--dataset', fixture, '--splits', splits]),
      hearth(['eval', '--dataset', fixture, '--splits', splits, '--json']),
    ]);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^8 posts from .*forum-posts\.sample\.jsonl$/);
    expect(lines.slice(1, 3).join(' ')).toBe('report part: 8 of 14 rows, never trained or tuned on; the other 6 may train the model');
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ part: 'report', use: 'report-only', rows_in_file: 14, rows_scored: 8, posts: 8 });
    expect(report.use_note).toBe('report part: 8 of 14 rows, never trained or tuned on; the other 6 may train the model');
    // Not one train row was scored: none can appear among the misses.
    for (const miss of report.misclassified) expect(train).not.toContain(miss.id);
  });

  it('scores the part --part chooses', async () => {
    const [trained, all, bad] = await Promise.all([
      hearth(['eval', '--dataset', fixture, '--splits', splits, '--part', 'train', '--json']),
      hearth(['eval', '--dataset', fixture, '--splits', splits, '--part', 'all', '--json']),
      hearth(['eval', '--dataset', fixture, '--splits', splits, '--part', 'most']),
    ]);
    expect(JSON.parse(trained.stdout)).toMatchObject({ part: 'train', use: 'training', rows_scored: 6, posts: 6 });
    expect(JSON.parse(trained.stdout).use_note).toMatch(/^train part: 6 of 14 rows, which may train the model/);
    expect(JSON.parse(all.stdout)).toMatchObject({ part: 'all', use: 'mixed', rows_scored: 14, posts: 14 });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--part.*train, report, all/);
  });

  it('warns when the file is not the one the split was drawn from', async () => {
    const grown = join(work, 'forum-posts.sample.jsonl');
    await writeFile(grown, `${await readFile(fixture, 'utf8')}{"id":"fx-99","text":"New row.","labels":[]}\n`);
    const run = await hearth(['eval', '--dataset', grown, '--splits', splits]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/the split was drawn on 14 rows and this file has 15/);
    expect(run.stdout).toMatch(/^report part: 9 of 15 rows/m);
    expect(run.stdout).toMatch(/^warning: the split was drawn on 14 rows/m);
  });
});

describe('hearth eval says how a file was used', slow, () => {
  const cases = [
    ['forum-posts.dev.jsonl', 'training', /^training data: figures are training fit/],
    ['check-2.jsonl', 'tuning', /^used for tuning: optimistic/],
    ['forum-posts.tune.jsonl', 'tuning', /^used for tuning: optimistic/],
    ['forum-posts.report.jsonl', 'report-only', /^report-only: never trained or tuned on/],
    ['set-e.jsonl', 'training', /^training data/],
    ['labelled.jsonl', 'unknown', /^not in datasets\/splits: say how it was used when you report it$/],
  ] as const;

  it.each(cases)('%s: %s', async (name, use, note) => {
    const copy = join(work, name);
    await writeFile(copy, await readFile(fixture, 'utf8'));
    const run = await hearth(['eval', '--dataset', copy, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ part: null, use, rows_in_file: 14, rows_scored: 14 });
    expect(report.use_note).toMatch(note);
  });

  it('refuses --part train or report for a file with no split', async () => {
    const run = await hearth(['eval', '--dataset', fixture, '--part', 'report']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^hearth: --part report: .* has no split in datasets\/splits/);
  });
});

describe('hearth eval where harm is rare', slow, () => {
  it('reports queue precision at --prevalence, and clean posts flagged, removed and urgent', async () => {
    const [at2, at10, table] = await Promise.all([
      hearth(['eval', '--dataset', fixture, '--json']),
      hearth(['eval', '--dataset', fixture, '--json', '--prevalence', '0.1']),
      hearth(['eval', '--dataset', fixture, '--prevalence', '0.1']),
    ]);
    const report = JSON.parse(at2.stdout);
    expect(report.queue.prevalence).toBe(0.02);
    expect(report).toMatchObject({ clean_removed: expect.any(Number), clean_urgent: expect.any(Number) });
    // The figures follow from the counts the same report gives.
    const hostility = report.queue.policies.hostility;
    expect(hostility.recall).toBe(report.policies.hostility.recall);
    expect(hostility.clean_flagged_rate).toBeCloseTo(hostility.clean_flagged / report.clean_posts, 12);
    const expected = (p: number) => (p * hostility.recall) / (p * hostility.recall + (1 - p) * hostility.clean_flagged_rate);
    expect(hostility.precision).toBeCloseTo(expected(0.02), 12);
    expect(JSON.parse(at10.stdout).queue.policies.hostility.precision).toBeCloseTo(expected(0.1), 12);

    const out = table.stdout.split('\n');
    for (const line of out) expect(line.length).toBeLessThanOrEqual(80);
    expect(out.find((l) => l.startsWith('policy  '))).toMatch(/^policy\s+precision\s+recall\s+F1\s+queue\s+tp\s+fp\s+fn\s+tn$/);
    expect(out.find((l) => l.startsWith('hostility'))).toContain(JSON.parse(at10.stdout).queue.policies.hostility.precision.toFixed(3));
    expect(table.stdout).toMatch(/^any harm\s+\d\.\d{3}\s+(\d\.\d{3}|n\/a)$/m);
    expect(table.stdout).toMatch(/^queue: share of flags that would be right if 10% of posts broke the policy/m);
    // The header of the table for people says what the file is, as --json's use_note does.
    expect(out[1]).toBe('not in datasets/splits: say how it was used when you report it');
    expect(table.stdout).toMatch(/^clean posts removed\s+\d+ of 6 \(\d+\.\d%\)$/m);
    expect(table.stdout).toMatch(/^clean posts urgent\s+\d+ of 6 \(\d+\.\d%\)$/m);

    const bad = await hearth(['eval', '--dataset', fixture, '--prevalence', '2']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--prevalence/);
  });
});

describe('hearth sweep --target-queue-precision', slow, () => {
  it('reports the lowest threshold whose queue precision reaches the target, and its recall', async () => {
    const args = ['sweep', '--policy', 'hostility', '--dataset', fixture, '--prevalence', '0.1'];
    const [json, table] = await Promise.all([
      hearth([...args, '--target-queue-precision', '0.2', '--json']),
      hearth([...args, '--target-queue-precision', '0.2', '--target-precision', '0.5']),
    ]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ prevalence: 0.1, part: null, use: 'unknown' });
    const chosen = out.choice.forQueuePrecision;
    expect(chosen.queue_precision).toBeGreaterThanOrEqual(0.2);
    // The lowest: no lower threshold reaches the target.
    for (const row of out.rows.filter((r: { threshold: number }) => r.threshold < chosen.threshold))
      expect(row.queue_precision === null || row.queue_precision < 0.2).toBe(true);
    expect(table.stdout).toMatch(
      new RegExp(
        `^queue precision ≥ 0\\.2 +threshold ${chosen.threshold.toFixed(2)}: queue precision ${chosen.queue_precision.toFixed(3)}, recall ${chosen.recall.toFixed(3)}$`,
        'm',
      ),
    );
    expect(table.stdout).toMatch(/^precision ≥ 0\.5 /m);
    expect(table.stdout).toMatch(/^queue: share of flags right if 10% of posts broke hostility$/m);
    for (const line of table.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('sweeps the train part of a split set, never the report part unless asked', async () => {
    const [trained, reported] = await Promise.all([
      hearth(['sweep', '--policy', 'hostility', '--dataset', fixture, '--splits', splits, '--json']),
      hearth(['sweep', '--policy', 'hostility', '--dataset', fixture, '--splits', splits, '--part', 'report', '--json']),
    ]);
    expect(JSON.parse(trained.stdout)).toMatchObject({ part: 'train', rows_scored: 6 });
    expect(trained.stderr).toBe('');
    expect(JSON.parse(reported.stdout)).toMatchObject({ part: 'report', rows_scored: 8 });
    expect(reported.stderr).toMatch(/choosing a threshold on report rows makes them tuning rows/);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { policyIds } from '../../../src/moderation/types.ts';
import { type CliRun as Run, hearth as runHearth } from '../../support/cli.ts';

const fixture = fileURLToPath(new URL('../../fixtures/forum-posts.sample.jsonl', import.meta.url));
const gold: Array<{ id: string; text: string; labels: string[] }> = readFileSync(fixture, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

// Scoring needs neither PostgreSQL nor Redis: point both at closed ports to prove it.
const env = { DATABASE_URL: 'postgres://127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' };

function hearth(args: string[], stdin?: string): Promise<Run> {
  return runHearth(args, { stdin, env });
}

const noStackTrace = /\n\s+at .+:\d+:\d+/;

describe('hearth score', () => {
  let run: Run;
  let lines: Array<Record<string, unknown> & { id: string; policies: Array<Record<string, unknown>> }>;
  beforeAll(async () => {
    run = await hearth(['score', '--input', fixture]);
    lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  });

  it('prints one JSON line per post, in input order', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(lines.map((l) => l.id)).toEqual(gold.map((g) => g.id));
  });

  it('prints the documented fields and nothing else', () => {
    for (const line of lines) {
      expect(Object.keys(line).filter((k) => k !== 'language')).toEqual(['id', 'action', 'urgent', 'policies']);
      if ('language' in line) expect(line.language).toEqual(expect.any(String));
      expect(['allow', 'review', 'hold', 'remove']).toContain(line.action);
      expect(typeof line.urgent).toBe('boolean');
      expect(line.policies.map((p) => p.policy).sort()).toEqual([...policyIds].sort());
      for (const p of line.policies) {
        // `claim` only where a false claim was matched or is the closest to a model's flag.
        expect(Object.keys(p).filter((k) => k !== 'claim')).toEqual(['policy', 'score', 'flagged', 'evidence', 'rationale', 'strength']);
        expect(['none', 'model', 'rule', 'strong']).toContain(p.strength);
        expect(p.score).toBeGreaterThanOrEqual(0);
        expect(p.score).toBeLessThanOrEqual(1);
        expect(typeof p.flagged).toBe('boolean');
        expect(typeof p.rationale).toBe('string');
      }
    }
  });

  it('gives evidence as offsets into the original post text', () => {
    let spans = 0;
    for (const line of lines) {
      const text = gold.find((g) => g.id === line.id)?.text ?? '';
      for (const p of line.policies) {
        for (const e of p.evidence as Array<{ start: number; end: number; text: string }>) {
          expect(Object.keys(e)).toEqual(['start', 'end', 'text']);
          expect(text.slice(e.start, e.end)).toBe(e.text);
          spans++;
        }
      }
    }
    // The fixture's clear-cut violations must have produced some evidence to check.
    expect(spans).toBeGreaterThan(0);
  });

  it('marks the crisis post urgent and never removes it', () => {
    const crisis = lines.find((l) => l.id === 'fx-04');
    expect(crisis).toMatchObject({ urgent: true });
    expect(crisis?.action).not.toBe('remove');
  });

  it('reads standard input with --input - and prints the same verdicts', async () => {
    const piped = await hearth(['score', '--input', '-'], readFileSync(fixture, 'utf8'));
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(run.stdout);
  });

  it('refuses a malformed line in one line naming it, with exit 1 and nothing scored', async () => {
    const bad = await hearth(['score', '--input', '-'], '{"id":"a","text":"fine"}\n\n{"id":"b","text":\n{"id":"c"}\n');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^hearth: stdin line 3: not valid JSON/m);
    expect(bad.stderr).toMatch(/^hearth: stdin line 4: "text" is missing$/m);
    expect(bad.stderr).not.toMatch(noStackTrace);
  });

  it('reports a missing input file without a stack trace', async () => {
    const missing = await hearth(['score', '--input', 'tests/fixtures/no-such-file.jsonl']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('hearth: tests/fixtures/no-such-file.jsonl: no such file or directory\n');
  });
});

describe('hearth eval', () => {
  it('reports per-policy counts that agree with the labels, as JSON', async () => {
    const run = await hearth(['eval', '--dataset', fixture, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      dataset: fixture,
      policy_set_version: expect.stringMatching(/^ps_[0-9a-f]{16}$/),
      posts: gold.length,
      clean_posts: gold.filter((g) => g.labels.length === 0).length,
      crisis: { posts: gold.filter((g) => g.labels.includes('self_harm')).length },
      time_per_post_ms: { mean: expect.any(Number), p95: expect.any(Number) },
    });
    expect(Object.keys(report.policies)).toEqual([...policyIds]);
    let f1Sum = 0;
    for (const id of policyIds) {
      const m = report.policies[id];
      expect(Object.keys(m).sort()).toEqual(['f1', 'fn', 'fp', 'precision', 'recall', 'tn', 'tp']);
      // Every labelled post is either found or missed, whatever the scorer does; all four
      // cells of the confusion matrix together count every post.
      expect(m.tp + m.fn).toBe(gold.filter((g) => g.labels.includes(id)).length);
      expect(m.tp + m.fp + m.fn + m.tn).toBe(gold.length);
      const misses = report.misclassified.filter((x: { policy: string }) => x.policy === id);
      expect(misses.filter((x: { kind: string }) => x.kind === 'false_negative')).toHaveLength(m.fn);
      expect(misses.filter((x: { kind: string }) => x.kind === 'false_positive')).toHaveLength(m.fp);
      f1Sum += m.f1;
    }
    expect(report.macro_f1).toBeCloseTo(f1Sum / policyIds.length, 10);
    expect(report.clean_flagged_rate).toBeCloseTo(report.clean_flagged / report.clean_posts, 10);
    // fx-13 and fx-14 are deliberately mislabelled, so there is always a miss to describe.
    const cake = report.misclassified.find((x: { id: string }) => x.id === 'fx-14');
    expect(cake).toMatchObject({ policy: 'misinformation', kind: 'false_negative', labels: ['misinformation'], evidence: [] });
    expect(cake.excerpt).toMatch(/^Made lemon drizzle cake/);
    const insult = report.misclassified.find((x: { id: string }) => x.id === 'fx-13');
    expect(insult).toMatchObject({ policy: 'hostility', kind: 'false_positive', labels: [] });
    expect(insult.evidence.length).toBeGreaterThan(0);
  });

  it('prints a table that fits 80 columns, then the misses', async () => {
    const run = await hearth(['eval', '--dataset', fixture]);
    expect(run.code).toBe(0);
    const out = run.stdout.split('\n');
    for (const line of out) expect(line.length).toBeLessThanOrEqual(80);
    // precision, recall, F1, queue precision at 2% (or n/a), then the confusion matrix.
    expect(out.find((l) => l.startsWith('hostility'))).toMatch(
      /^hostility\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+(\d\.\d{3}|n\/a)\s+\d+\s+\d+\s+\d+\s+\d+$/,
    );
    expect(run.stdout).toMatch(/^macro F1\s+\d\.\d{3}$/m);
    expect(run.stdout).toMatch(/^clean posts flagged\s+\d+ of 6 /m);
    expect(run.stdout).toMatch(/^crisis posts\s+\d+ of 1 urgent, 0 removed$/m);
    expect(run.stdout).toMatch(/^misinformation: missed \(false negatives\)\n {2}fx-14 /m);
  });

  it('exits 1 when macro F1 is below --min-f1, still printing the report', async () => {
    const [failing, passing, nonsense] = await Promise.all([
      hearth(['eval', '--dataset', fixture, '--json', '--min-f1', '1.01']),
      hearth(['eval', '--dataset', fixture, '--json', '--min-f1', '0']),
      hearth(['eval', '--dataset', fixture, '--min-f1', 'high']),
    ]);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout).posts).toBe(gold.length);
    expect(failing.stderr).toMatch(/^hearth: macro F1 \d\.\d{3} is below --min-f1 1\.01\n$/);
    expect(passing.code).toBe(0);
    expect(nonsense.code).toBe(1);
    expect(nonsense.stderr).toMatch(/--min-f1/);
  });

  it('refuses a dataset with unknown labels or duplicate ids, naming the lines', async () => {
    const dataset = [
      '{"id":"a","text":"fine","labels":[]}',
      '{"id":"b","text":"x","labels":["rudeness"]}',
      '{"id":"a","text":"again","labels":[]}',
      'not json',
    ].join('\n');
    const run = await hearth(['eval', '--dataset', '-'], dataset);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^hearth: stdin line 2: unknown label "rudeness"/),
      'hearth: stdin line 3: duplicate id "a" (first on line 1)',
      expect.stringMatching(/^hearth: stdin line 4: not valid JSON/),
    ]);
  });
});

describe('help', () => {
  it('shows an example for both commands', async () => {
    const commands = ['score', 'eval'];
    const runs = await Promise.all(commands.map((command) => hearth([command, '--help'])));
    runs.forEach((run, i) => {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`Examples:\\n {2}npx hearth ${commands[i]} `));
    });
  });
});

describe('hearth eval on a set that labels only some policies', () => {
  it('also reports macro F1 over the labelled policies', async () => {
    const dataset = [
      '{"id":"h1","text":"You are a pathetic liar and everyone here knows it.","labels":["hostility"]}',
      '{"id":"c1","text":"My physio gave me three new stretches this week.","labels":[]}',
    ].join('\n');
    const [table, json] = await Promise.all([
      hearth(['eval', '--dataset', '-'], dataset),
      hearth(['eval', '--dataset', '-', '--json'], dataset),
    ]);
    const report = JSON.parse(json.stdout);
    expect(report.labelled_policies).toEqual(['hostility']);
    expect(report.labelled_macro_f1).toBeCloseTo(report.policies.hostility.f1, 10);
    expect(table.stdout).toMatch(/\n {2}over 1 labelled policy +\d\.\d{3}\n/);
  });
});

describe('hearth detectors', () => {
  const sentences = [
    {
      full_text: 'Call Dana Whitlock on +44 7700 900123 tomorrow.',
      spans: [
        { entity_type: 'PERSON', start_position: 5, end_position: 17 },
        { entity_type: 'PHONE_NUMBER', start_position: 21, end_position: 37 },
      ],
    },
    {
      full_text: 'Write to rowan.example@example.org if the clinic moves.',
      spans: [{ entity_type: 'EMAIL_ADDRESS', start_position: 9, end_position: 34 }],
    },
    { full_text: 'Nothing personal in this one at all.', spans: [] },
  ];

  it('reports recall and precision per detector from overlapping spans', async () => {
    const run = await hearth(['detectors', '--dataset', '-', '--json'], JSON.stringify(sentences));
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.sentences).toBe(3);
    const by = Object.fromEntries(report.detectors.map((d: { detector: string }) => [d.detector, d]));
    expect(by.phone).toMatchObject({ entity: 'PHONE_NUMBER', annotated: 1, found: 1, recall: 1, detected: 1, correct: 1 });
    expect(by.email).toMatchObject({ annotated: 1, found: 1, detected: 1, precision: 1 });
    expect(by.street_address).toMatchObject({ annotated: 0, detected: 0, recall: 0 });
  });

  it('names the item that is malformed, without a stack trace', async () => {
    const run = await hearth(['detectors', '--dataset', '-'], JSON.stringify([sentences[0], { full_text: 3, spans: [] }]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^hearth: stdin: item 1: full_text /);
    expect(run.stderr).not.toMatch(noStackTrace);
  });
});

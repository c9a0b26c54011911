import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPoliciesDir } from '../../../src/policies/loader.ts';
import { recordReview } from '../../../src/reviews/record-review.ts';
import { type CliRun, hearth as run } from '../../support/cli.ts';
import { type Harness, startHarness } from '../../support/harness.ts';
import { seedDecision } from '../../support/seed.ts';

const fixture = fileURLToPath(new URL('../../fixtures/forum-posts.sample.jsonl', import.meta.url));

function hearth(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return run(args, { env });
}

const noStackTrace = /\n\s+at .+:\d+:\d+/;
let work: string;
/** A copy of the policies with hostility flagging from 0.3 (and reviewing from there). */
let draft: string;
/** A copy with two mistakes in hostility.yaml and one in privacy_leak.yaml. */
let broken: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hearth-tuning-'));
  draft = join(work, 'draft');
  broken = join(work, 'broken');
  for (const dir of [draft, broken]) await cp(defaultPoliciesDir, dir, { recursive: true });
  const hostility = await readFile(join(draft, 'hostility.yaml'), 'utf8');
  await writeFile(
    join(draft, 'hostility.yaml'),
    hostility.replace('flag_at: 0.5', 'flag_at: 0.3').replace('{ min: 0.5, action: review }', '{ min: 0.3, action: review }'),
  );
  await writeFile(join(broken, 'hostility.yaml'), hostility.replace('flag_at: 0.5', 'flag_at: high').replace('weight: 0.7', 'weight: 7'));
  const privacy = await readFile(join(broken, 'privacy_leak.yaml'), 'utf8');
  await writeFile(join(broken, 'privacy_leak.yaml'), privacy.replace(/^severity: .*$/m, 'severity: huge'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('hearth policies', () => {
  it('validate: ok on the shipped policies, every problem with file, line and field otherwise', async () => {
    const ok = await hearth(['policies', 'validate']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: 5 policies, \d+ signals, version ps_[0-9a-f]{16}\n$/);

    const bad = await hearth(['policies', 'validate', broken]);
    expect(bad.code).toBe(1);
    const hostility = (await readFile(join(broken, 'hostility.yaml'), 'utf8')).split('\n');
    const line = hostility.findIndex((l) => l.startsWith('flag_at:')) + 1;
    expect(bad.stdout).toContain(`hostility.yaml line ${line}: flag_at: `);
    expect(bad.stdout).toMatch(/hostility\.yaml line \d+: signals\.\d+\.weight: /);
    expect(bad.stdout).toMatch(/privacy_leak\.yaml line 4: severity: /);
    expect(bad.stdout).toMatch(/problems in 2 files; fix them/);

    const json = JSON.parse((await hearth(['policies', 'validate', broken, '--json'])).stdout);
    expect(json).toMatchObject({ ok: false, version: null });
    expect(json.problems).toContainEqual({ file: 'hostility.yaml', path: 'flag_at', message: expect.any(String), line });
  });

  it('test: every example right on the shipped policies; a wrong one is listed with its evidence', async () => {
    const ok = await hearth(['policies', 'test', '--json']);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.failures).toEqual([]);
    expect(report.policies).toHaveLength(5);

    const strict = join(work, 'strict');
    await cp(defaultPoliciesDir, strict, { recursive: true });
    const file = join(strict, 'misinformation.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('flag_at: 0.5', 'flag_at: 0.999'));
    const wrong = await hearth(['policies', 'test', strict]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/misinformation: should be flagged, was not \(score \d\.\d\d\)/);
    expect(wrong.stderr).toBe('');
  });
});

describe('hearth sweep', () => {
  it('gives precision and recall at each threshold, and the thresholds that reach a target', async () => {
    const run = await hearth([
      'sweep',
      '--policy',
      'hostility',
      '--dataset',
      fixture,
      '--target-precision',
      '0.6',
      '--target-recall',
      '0.5',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.rows).toHaveLength(19);
    expect(out.rows[0]).toEqual({
      threshold: 0.05,
      precision: expect.any(Number),
      recall: expect.any(Number),
      f1: expect.any(Number),
      tp: expect.any(Number),
      fp: expect.any(Number),
      fn: expect.any(Number),
      flagged_rate: expect.any(Number),
      clean_flagged: expect.any(Number),
      queue_precision: expect.toBeOneOf([expect.any(Number), null]),
    });
    // Recall can only fall as the threshold rises.
    for (let i = 1; i < out.rows.length; i++) expect(out.rows[i].recall).toBeLessThanOrEqual(out.rows[i - 1].recall);
    expect(out.choice.forPrecision.precision).toBeGreaterThanOrEqual(0.6);
    expect(out.choice.forRecall.recall).toBeGreaterThanOrEqual(0.5);

    // The same words labelled once hostile and once clean: no threshold can be right more than half the time.
    const contradictory = join(work, 'contradictory.jsonl');
    const text = 'You are a pathetic liar and everyone here knows it.';
    await writeFile(
      contradictory,
      `${JSON.stringify({ id: 'a', text, labels: ['hostility'] })}\n${JSON.stringify({ id: 'b', text, labels: [] })}\n`,
    );
    const table = await hearth(['sweep', '--policy', 'hostility', '--dataset', contradictory, '--target-precision', '0.99']);
    expect(table.stdout).toMatch(/precision ≥ 0\.99 +no threshold reaches it on this data/);
    expect(table.stdout.split('\n').every((l) => l.length <= 80)).toBe(true);
    expect(table.stdout).toMatch(/0\.50 .* ◀ now/);
    const bad = await hearth(['sweep', '--policy', 'rudeness', '--dataset', fixture]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/hostility/);
  });
});

describe('hearth eval --html', () => {
  it('writes one self-contained page with a curve and a histogram per policy', async () => {
    const page = join(work, 'report.html');
    const run = await hearth(['eval', '--dataset', fixture, '--html', page]);
    expect(run.code).toBe(0);
    const html = await readFile(page, 'utf8');
    expect(html.match(/aria-label="precision-recall curve"/g)).toHaveLength(5);
    expect(html.match(/aria-label="score histogram by true label"/g)).toHaveLength(5);
    // Self-contained: nothing is fetched.
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
    expect(run.stdout).toMatch(/ {3}tp {3}fp {3}fn {3}tn$/m);
  });
});

describe('hearth diff', () => {
  it('shows the posts that change action and why, and per-policy deltas', async () => {
    const run = await hearth(['diff', '--base', defaultPoliciesDir, '--policies', draft, '--dataset', fixture, '--json']);
    expect(run.code).toBe(0);
    const diff = JSON.parse(run.stdout);
    expect(diff.base.version).not.toBe(diff.draft.version);
    expect(Object.keys(diff.metrics)).toHaveLength(5);
    expect(diff.metrics.misinformation.base).toEqual(diff.metrics.misinformation.draft);
    for (const change of diff.changed) {
      expect(change.base).not.toBe(change.draft);
      expect(change.policies.map((p: { policy: string }) => p.policy)).toEqual(['hostility']);
    }

    const same = await hearth(['diff', '--base', 'HEAD', '--dataset', fixture]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/base {3}HEAD \([0-9a-f]{10}\)/);
    const nonsense = await hearth(['diff', '--base', 'no-such-ref', '--dataset', fixture]);
    expect(nonsense.code).toBe(1);
    expect(nonsense.stderr).toMatch(/neither a directory nor a git revision/);
    expect(nonsense.stderr).not.toMatch(noStackTrace);
  });
});

describe('commands over stored decisions', () => {
  let h: Harness;
  let env: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness({ callbackUrl: null, workers: true, config: { policyRefreshMs: 100 } });
    env = { DATABASE_URL: h.config.databaseUrl };
    const reviewer = { keyId: '00000000-0000-4000-8000-000000000001', label: 'sam' };
    // Scored for real, so replay's re-scoring with the same policies agrees with it.
    const posts = [
      ['s-1', 'You are a pathetic liar and everyone here knows it.'],
      ['s-2', 'Physio again today; the new stretches help a little.'],
      ['s-3', 'Honestly you lot are such whiny drama queens about your pain.'],
    ] as const;
    for (const [postId, body] of posts) {
      const { verdict } = await import('../../../src/moderation/score-post.ts').then(({ scorePost }) =>
        scorePost(h.ctx.policySet, h.ctx.scorer, { body }),
      );
      const d = await seedDecision(h.ctx, { postId, body, action: verdict.action, flagged: verdict.policies.filter((p) => p.flagged) });
      if (postId !== 's-2')
        await recordReview(h.ctx.database.db, 'all', d.id, { outcome: 'confirm', labels: ['hostility'], note: 'a clear insult' }, reviewer);
    }
  });
  afterAll(() => h.close());

  async function counts() {
    const [row] = await h.ctx.database
      .sql`select (select count(*) from decisions)::int as decisions, (select count(*) from deliveries)::int as deliveries,
      (select count(*) from audit_events)::int as audit, (select count(*) from reviews)::int as reviews`;
    return { ...row, jobs: await h.ctx.queues.moderate.count() };
  }

  it('labels export writes reviewed posts as a dataset eval can read', async () => {
    const out = join(work, 'reviewed.jsonl');
    const run = await hearth(['labels', 'export', '--forum', 'chronic-pain', '--since', '30d', '--out', out], env);
    expect(run.code).toBe(0);
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      id: 's-1@1',
      text: 'You are a pathetic liar and everyone here knows it.',
      labels: ['hostility'],
      note: expect.stringMatching(/^moderator confirmed .* \(sam\): a clear insult$/),
    });
    const evaluated = await hearth(['eval', '--dataset', out, '--json']);
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout).posts).toBe(2);
    const unknown = await hearth(['labels', 'export', '--forum', 'nowhere'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/forum nowhere does not exist/);
  });

  it('replay reports what draft policies would change, and writes nothing', async () => {
    const before = await counts();
    const same = JSON.parse((await hearth(['replay', '--forum', 'chronic-pain', '--json'], env)).stdout);
    expect(same).toMatchObject({ posts: 3, changed: [], against_reviews: { reviewed: 2 } });
    expect(same.against_reviews.policies.hostility.stored).toEqual(same.against_reviews.policies.hostility.draft);

    const run = await hearth(['replay', '--forum', 'chronic-pain', '--since', '1d', '--policies', draft, '--json'], env);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.posts).toBe(3);
    for (const c of report.changed) expect(c.stored.action).not.toBe(c.draft.action);
    expect(await counts()).toEqual(before);
    const table = await hearth(['replay', '--forum', 'chronic-pain', '--policies', draft], env);
    expect(table.stdout).toMatch(/^3 stored posts of chronic-pain, re-scored with ps_/);
    // Reviews labelled hostility alone: the other policies have nothing to measure, which is
    // not a precision or recall of 0.
    const row = (policy: string) => table.stdout.split('\n').find((l) => l.startsWith(`${policy} `)) ?? '';
    expect(row('self_harm')).toMatch(/^self_harm +n\/a → n\/a +n\/a → n\/a$/);
    expect(row('hostility')).toMatch(/^hostility +\d\.\d{3} → \d\.\d{3} +\d\.\d{3} → \d\.\d{3}$/);
  });

  it('publish refuses a broken set, records a good one, and running workers switch to it', async () => {
    const refused = await hearth(['publish', '--policies', broken], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/nothing was published/);
    expect(refused.stderr).not.toMatch(noStackTrace);

    // Read before publishing: the workers switch within a refresh (100 ms here) of it.
    const repositoryVersion = h.ctx.policySet.version;
    const run = await hearth(['publish', '--policies', draft, '--message', 'hostility: review from 0.3', '--author', 'pat', '--json'], env);
    expect(run.code).toBe(0);
    const publication = JSON.parse(run.stdout);
    expect(publication).toMatchObject({
      version: expect.stringMatching(/^ps_/),
      previous_version: null,
      author: 'pat',
      message: 'hostility: review from 0.3',
      forums: 1,
    });
    expect(publication.version).not.toBe(repositoryVersion);
    const [event] = await h.ctx.database.sql`select actor, payload from audit_events where type = 'policy_published'`;
    expect(event).toMatchObject({ actor: 'cli:pat', payload: { version: publication.version, message: 'hostility: review from 0.3' } });

    // The running workers find it on their next refresh; new decisions name it.
    const { eventually } = await import('../../support/eventually.ts');
    await eventually(() => h.ctx.policies.current().policySet.version === publication.version, 5000, 'the workers to switch');
    // The first post after a switch may meet the new set still loading beside the workers on a
    // busy machine (503, "retry later", as the README tells forums); a forum sends it again.
    const post = { id: 'after-publish', author: { id: 'u-2' }, body: 'Does anyone else ice their knees after physio?' };
    const status = await eventually(
      async () => {
        const res = await h.submit(post);
        return res.status === 503 ? undefined : res.status;
      },
      10_000,
      'the first post after the switch',
    );
    expect(status).toBe(202);
    const decision = await eventually(async () => {
      const [row] = await h.ctx.database.sql`select policy_set_version from decisions where post_id = 'after-publish'`;
      return row;
    });
    expect(decision.policy_set_version).toBe(publication.version);
  });
});

describe('help', () => {
  it('shows an example for every tuning command', async () => {
    const commands = [['policies', 'validate'], ['policies', 'test'], ['sweep'], ['diff'], ['replay'], ['labels', 'export'], ['publish']];
    const runs = await Promise.all(commands.map((c) => hearth([...c, '--help'])));
    runs.forEach((run, i) => {
      expect(run.code, commands[i]?.join(' ')).toBe(0);
      expect(run.stdout, commands[i]?.join(' ')).toMatch(/Examples?:\n {2}npx hearth /);
      expect(
        run.stdout.split('\n').every((l) => l.length <= 80),
        commands[i]?.join(' '),
      ).toBe(true);
    });
  });
});

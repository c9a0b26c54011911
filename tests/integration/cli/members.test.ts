import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/db/client.ts';
import { recordDecision } from '../../../src/decisions/record-decision.ts';
import { contentHash } from '../../../src/ingest/submission.ts';
import { type CliRun, hearth as run } from '../../support/cli.ts';
import { adminUrl, databaseUrl, RUN_ID } from '../../support/database-names.ts';

const name = `hearth_test_${RUN_ID}_cli_members_${randomBytes(3).toString('hex')}`;
const env = { DATABASE_URL: databaseUrl(name) };

async function hearth(...args: string[]): Promise<CliRun> {
  const result = await run(args, { env });
  expect(result.code, `hearth ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

afterAll(async () => {
  const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists "${name}" with (force)`);
  await sql.end();
});

const rule = { id: 'hostility-2-in-14d', policy: 'hostility', flags: 2, within_days: 14, raise_to: 'review', for_days: 7 };

describe('hearth remedies and authors', () => {
  it('sets escalation rules, shows them, refuses bad ones naming the flag and changing nothing, and removes them', async () => {
    await hearth('forums', 'create', 'chronic-pain');
    const set = await hearth('remedies', 'set', '--forum', 'chronic-pain', '--escalation-rules', JSON.stringify([rule]), '--json');
    expect(JSON.parse(set.stdout)).toEqual({ escalation_rules: [{ ...rule, count: 'flagged' }] });
    expect((await hearth('remedies', 'show', '--forum', 'chronic-pain')).stdout).toContain(
      'escalation rule hostility-2-in-14d: 2 hostility flag(s) within 14 days -> at least review for 7 days',
    );

    const bad = await run(
      ['remedies', 'set', '--forum', 'chronic-pain', '--escalation-rules', JSON.stringify([{ ...rule, for_days: 0 }])],
      { env },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--escalation-rules 0\.for_days/);
    const notJson = await run(['remedies', 'set', '--forum', 'chronic-pain', '--escalation-rules', '[{id:'], { env });
    expect(notJson.stderr).toMatch(/--escalation-rules: not JSON/);
    const unknown = await run(['remedies', 'set', '--forum', 'nowhere', '--escalation-rules', 'off'], { env });
    expect(unknown.stderr).toMatch(/forum nowhere does not exist/);
    expect(JSON.parse((await hearth('remedies', 'show', '--forum', 'chronic-pain', '--json')).stdout).escalation_rules).toHaveLength(1);

    await hearth('remedies', 'set', '--forum', 'chronic-pain', '--escalation-rules', 'off');
    expect((await hearth('remedies', 'show', '--forum', 'chronic-pain')).stdout).toBe(
      "crisis resources: Hearth's defaults\nredaction: off\nthread alerts: off\nescalation rules: none\n",
    );
    const audit = await hearth('audit', 'list', '--forum', 'chronic-pain', '--json');
    expect(audit.stdout.split('\n').filter((l) => l.includes('remedies.escalation_rules'))).toHaveLength(2);
  });

  it('sets tense-thread settings, refusing bad ones with the flag named', async () => {
    const bad = await run(['remedies', 'set', '--forum', 'chronic-pain', '--thread-alerts', '{"pile_on":{"authors":1}}'], { env });
    expect(bad.stderr).toMatch(/--thread-alerts pile_on\.authors/);
    await hearth('remedies', 'set', '--forum', 'chronic-pain', '--thread-alerts', '{"pile_on":{},"flagged_share":{"share":0.4}}');
    expect((await hearth('remedies', 'show', '--forum', 'chronic-pain')).stdout).toContain(
      'thread alerts: pile-on (3 members hostile to one member within 60 minutes); flagged share 0.4 (from 5 posts)',
    );
  });

  it('turns redaction on for privacy leaks and refuses it for other policies', async () => {
    const bad = await run(['remedies', 'set', '--forum', 'chronic-pain', '--redact', 'hostility'], { env });
    expect(bad.stderr).toMatch(/--redact policies: only privacy_leak/);
    await hearth('remedies', 'set', '--forum', 'chronic-pain', '--redact', 'privacy_leak');
    expect((await hearth('remedies', 'show', '--forum', 'chronic-pain')).stdout).toContain('redaction: privacy_leak\n');
  });

  it('takes crisis resources inline or from a file, refusing a bad one with the field named', async () => {
    const bad = await run(['remedies', 'set', '--forum', 'chronic-pain', '--crisis', '{"resources":[{"language":"en","name":"X"}]}'], {
      env,
    });
    expect(bad.stderr).toMatch(/--crisis resources\.0: give a phone number, a link or both/);
    const missing = await run(['remedies', 'set', '--forum', 'chronic-pain', '--crisis', '@/nonexistent/crisis.json'], { env });
    expect(missing.stderr).toMatch(/--crisis @\/nonexistent\/crisis\.json: no such file/);
    const file = join(mkdtempSync(join(tmpdir(), 'hearth-crisis-')), 'crisis.json');
    writeFileSync(
      file,
      JSON.stringify({ country: 'GB', resources: [{ language: 'en', country: 'GB', name: 'Samaritans', phone: '116 123' }] }),
    );
    await hearth('remedies', 'set', '--forum', 'chronic-pain', '--crisis', `@${file}`);
    expect((await hearth('remedies', 'show', '--forum', 'chronic-pain')).stdout).toContain('crisis resources: Samaritans (en-GB)\n');
  });

  it("forgets a member, printing what was erased, and then answers their history like an unknown author's", async () => {
    const database = createDatabase(databaseUrl(name), 1);
    try {
      const post = {
        id: 'p-1',
        author: { id: 'u-gone', name: 'Tamsin' },
        body: 'Pacing my walks helps on flare days.',
        format: 'text' as const,
      };
      await recordDecision(database.db, {
        job: {
          forumId: 'chronic-pain',
          submissionId: `sub_${randomBytes(8).toString('hex')}`,
          contentHash: contentHash(post),
          receivedAt: new Date().toISOString(),
          post,
        },
        policySetVersion: 'ps_test',
        verdict: { action: 'allow', urgent: false, policies: [] },
        scorers: ['local-rules'],
        timings: {},
      });
    } finally {
      await database.close();
    }
    expect((await hearth('authors', 'show', '--forum', 'chronic-pain', '--author', 'u-gone')).stdout).toContain('p-1');
    const forgotten = JSON.parse((await hearth('authors', 'forget', '--forum', 'chronic-pain', '--author', 'u-gone', '--json')).stdout);
    expect(forgotten).toMatchObject({ forum_id: 'chronic-pain', posts: 1, revisions: 1, decisions: 1 });
    const again = await run(['authors', 'show', '--forum', 'chronic-pain', '--author', 'u-gone'], { env });
    expect(again.stderr).toBe('hearth: no author u-gone in forum chronic-pain\n');
    const twice = await run(['authors', 'forget', '--forum', 'chronic-pain', '--author', 'u-gone'], { env });
    expect(twice.code).toBe(1);
    expect((await hearth('audit', 'verify', '--forum', 'chronic-pain')).stdout).toMatch(/"ok":true/);
  });

  it('answers an unknown author with a clear refusal', async () => {
    const res = await run(['authors', 'show', '--forum', 'chronic-pain', '--author', 'u-nobody'], { env });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('hearth: no author u-nobody in forum chronic-pain\n');
  });
});

import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPoliciesDir, loadPolicySet } from '../../../src/policies/loader.ts';
import { hearth } from '../../support/cli.ts';

const temps: string[] = [];
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

async function policyCopy() {
  const dir = await mkdtemp(join(tmpdir(), 'hearth-claims-'));
  temps.push(dir);
  await cp(defaultPoliciesDir, dir, { recursive: true });
  return dir;
}

describe('hearth claims', () => {
  it('lists the base by topic, with a count', async () => {
    const run = await hearth(['claims', 'list', '--topic', 'vaccines']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^topic\s+id\s+claim/);
    expect(run.stdout).toMatch(/vaccines-cause-autism/);
    expect(run.stdout).toMatch(/\n\d+ claims in 1 topic\n$/);
    expect((await hearth(['claims', 'list', '--topic', 'astrology'])).stderr).toMatch(/--topic astrology: no such topic/);
  });

  it('tests a sentence: the claim, fact and source it matches; nothing for a question', async () => {
    const matched = await hearth(['claims', 'test', 'The MMR vaccine causes autism in children.', '--json']);
    const answer = JSON.parse(matched.stdout);
    expect(answer.matched).toMatchObject({ id: 'vaccines-cause-autism', source: { url: expect.stringMatching(/^https:\/\//) } });
    expect(answer.flagged).toBe(true);
    const asked = JSON.parse((await hearth(['claims', 'test', 'Does the MMR vaccine cause autism?', '--json'])).stdout);
    expect(asked.matched).toBeNull();
  });

  it('adds a claim that the next policy set loads and matches, and changes the version', async () => {
    const dir = await policyCopy();
    const before = await loadPolicySet(dir);
    const run = await hearth([
      'claims',
      'add',
      '--policies',
      dir,
      '--topic',
      'cures',
      '--id',
      'cures-lemon-water-dissolves-tumours',
      '--claim',
      'Hot lemon water dissolves tumours.',
      '--fact',
      'No food or drink dissolves tumours; cancer needs treatment from a specialist team.',
      '--source-name',
      'Cancer Research UK',
      '--source-url',
      'https://www.cancerresearchuk.org/about-cancer/causes-of-cancer/cancer-myths',
      '--paraphrase',
      'A mug of hot lemon water every morning melts tumours away.',
      '--paraphrase',
      'Tumours dissolve if you drink hot lemon water daily.',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const after = await loadPolicySet(dir);
    expect(after.version).not.toBe(before.version);
    expect(after.knowledge.claims.find((c) => c.id === 'cures-lemon-water-dissolves-tumours')?.paraphrases).toHaveLength(2);
    expect(await readFile(join(dir, 'claims', 'cures.yaml'), 'utf8')).toMatch(/^topic: cures/);
    const test = JSON.parse((await hearth(['claims', 'test', '--policies', dir, 'Hot lemon water dissolves tumours.', '--json'])).stdout);
    expect(test.matched?.id).toBe('cures-lemon-water-dissolves-tumours');
  });

  it('refuses a duplicate id, too few paraphrases or a bad source, writing nothing', async () => {
    const dir = await policyCopy();
    const file = join(dir, 'claims', 'vaccines.yaml');
    const original = await readFile(file, 'utf8');
    const base = [
      'claims',
      'add',
      '--policies',
      dir,
      '--topic',
      'vaccines',
      '--claim',
      'Vaccines contain tracking chips.',
      '--fact',
      'They do not.',
    ];
    const source = ['--source-name', 'CDC', '--source-url', 'https://www.cdc.gov/vaccines/'];
    const twice = ['--paraphrase', 'Every jab has a chip in it.', '--paraphrase', 'They chip you with each shot.'];
    expect((await hearth([...base, '--id', 'vaccines-cause-autism', ...source, ...twice])).stderr).toMatch(
      /--id vaccines-cause-autism: already in the base/,
    );
    expect((await hearth([...base, '--id', 'vaccines-chips', ...source, '--paraphrase', 'One.'])).stderr).toMatch(
      /--paraphrase: give at least two/,
    );
    const badUrl = await hearth([...base, '--id', 'vaccines-chips', '--source-name', 'CDC', '--source-url', 'cdc.gov', ...twice]);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/claims\/vaccines\.yaml.*source\.url/);
    expect(await readFile(file, 'utf8')).toBe(original);
  });
});

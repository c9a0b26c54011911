import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hearth } from '../../support/cli.ts';

const temps: string[] = [];
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

/**
 * A stand-in for a public set kept outside the repository: named like it, with ids of its fixed
 * split (datasets/splits/covid-rumor-health.json lists -3 and -5 as train; -1 and -2 are report)
 * and fictional text.
 */
async function publicSetStandIn() {
  const dir = await mkdtemp(join(tmpdir(), 'hearth-train-'));
  temps.push(dir);
  const rows = [
    { id: 'covid-rumor-health-3', text: 'Hot baths kill the virus in your lungs.', labels: ['misinformation'] },
    { id: 'covid-rumor-health-5', text: 'Wash your hands with soap for twenty seconds.', labels: [] },
    { id: 'covid-rumor-health-1', text: 'Drinking vinegar every hour cures the infection.', labels: ['misinformation'] },
    { id: 'covid-rumor-health-2', text: 'Masks reduce the spread of droplets.', labels: [] },
  ];
  await writeFile(join(dir, 'covid-rumor-health.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return dir;
}

describe('hearth train respects the fixed splits', () => {
  it('learns only the train part of a public set, and records it', async () => {
    const dir = await publicSetStandIn();
    const out = join(dir, 'model.json');
    const run = await hearth(['train', '--dataset', join(dir, 'covid-rumor-health.jsonl'), '--no-claims', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const model = JSON.parse(await readFile(out, 'utf8'));
    expect(model.trained_on).toContainEqual({ dataset: 'covid-rumor-health.jsonl', posts: 2 });
  });

  it('takes the train parts of --external sets, saying which were absent', async () => {
    const dir = await publicSetStandIn();
    const out = join(dir, 'model.json');
    const run = await hearth(['train', '--dataset', 'datasets/forum-posts.dev.jsonl', '--external', dir, '--no-claims', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/--external .*: no truthfulqa-health, safetext-health, openai-moderation, hatecheck there/);
    const model = JSON.parse(await readFile(out, 'utf8'));
    expect(model.trained_on).toContainEqual({ dataset: 'covid-rumor-health (train part)', posts: 2 });
  });

  it('refuses to learn from a report-only or tuning set, writing no model', async () => {
    const dir = await publicSetStandIn();
    const out = join(dir, 'model.json');
    for (const file of ['datasets/forum-posts.report.jsonl', 'datasets/forum-posts.tune.jsonl']) {
      const run = await hearth(['train', '--dataset', file, '--no-claims', '--out', out]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/cannot train the model/);
    }
    await expect(readFile(out, 'utf8')).rejects.toThrow();
  });
});

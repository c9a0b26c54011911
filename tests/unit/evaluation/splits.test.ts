import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSplitsDir, MANIFEST_FILE, readSplitIndex } from '../../../src/evaluation/read-splits.ts';
import {
  datasetName,
  describeRows,
  manifestEntryFor,
  partOf,
  type SplitFile,
  type SplitIndex,
  splitFor,
  trainingPartOf,
} from '../../../src/evaluation/splits.ts';

const split: SplitFile = {
  set: 'toy-set',
  licence: 'MIT',
  source: 'https://example.org/toy',
  rule: 'by hand',
  rows: 5,
  sha256: 'a'.repeat(64),
  train: ['t-1', 't-3'],
};
const index: SplitIndex = {
  splits: new Map([['toy-set', split]]),
  manifest: [
    { path: 'datasets/dev.jsonl', use: 'training', note: 'the model learns from it' },
    { path: 'policies/training/set-*.jsonl', use: 'training' },
    { path: 'datasets/tune.jsonl', use: 'tuning' },
    { path: 'datasets/report.jsonl', use: 'report-only' },
  ],
};
const posts = ['t-1', 't-2', 't-3', 't-4', 't-5'].map((id) => ({ id }));

describe('finding a dataset’s split and use', () => {
  it('knows a set by its file name, wherever it is kept', () => {
    expect(datasetName('/somewhere/else/toy-set.jsonl')).toBe('toy-set');
    expect(datasetName('toy-set.json')).toBe('toy-set');
    expect(datasetName('C:\\data\\toy-set.jsonl')).toBe('toy-set');
    expect(splitFor('/data/external/toy-set.jsonl', index)).toBe(split);
    expect(splitFor('toy-set-2.jsonl', index)).toBeUndefined();
  });

  it('matches manifest entries by file name, with * in the name', () => {
    expect(manifestEntryFor('/repo/policies/training/set-c.jsonl', index)?.use).toBe('training');
    expect(manifestEntryFor('datasets/tune.jsonl', index)?.use).toBe('tuning');
    // A dot in the name is a dot, not any character.
    expect(manifestEntryFor('datasets/tune_jsonl', index)).toBeUndefined();
    expect(manifestEntryFor('set-c.jsonl.bak', index)).toBeUndefined();
  });
});

describe('partOf', () => {
  it('gives the listed ids as train, every other one as report, and all of them as all', () => {
    expect(partOf(posts, split, 'train').map((p) => p.id)).toEqual(['t-1', 't-3']);
    expect(partOf(posts, split, 'report').map((p) => p.id)).toEqual(['t-2', 't-4', 't-5']);
    expect(partOf(posts, split, 'all')).toEqual(posts);
    expect(partOf(posts, undefined, 'all')).toEqual(posts);
  });

  it('refuses a part of a dataset that has no split', () => {
    expect(() => partOf(posts, undefined, 'report')).toThrow(/needs a split file/);
  });
});

describe('describeRows', () => {
  it('says what the scored part of a split set is worth', () => {
    const report = describeRows('toy-set.jsonl', posts, 'report', index, split.sha256);
    expect(report).toEqual({
      part: 'report',
      use: 'report-only',
      note: 'report part: 3 of 5 rows, never trained or tuned on; the other 2 may train the model',
      rows_in_file: 5,
      rows_scored: 3,
      rows_other: 2,
      warnings: [],
    });
    expect(describeRows('toy-set.jsonl', posts, 'train', index)).toMatchObject({ use: 'training', rows_scored: 2 });
    expect(describeRows('toy-set.jsonl', posts, 'train', index).note).toMatch(/^train part: 2 of 5 rows/);
    expect(describeRows('toy-set.jsonl', posts, 'all', index)).toMatchObject({ use: 'mixed', rows_scored: 5 });
    expect(describeRows('toy-set.jsonl', posts, 'all', index).note).toMatch(/^all 5 rows: 2 of them may train the model/);
  });

  it('says the manifest’s use for the repository’s own sets, and asks about unknown files', () => {
    expect(describeRows('datasets/dev.jsonl', posts, 'all', index)).toMatchObject({
      part: null,
      use: 'training',
      note: 'training data: figures are training fit (the model learns from it)',
    });
    expect(describeRows('tune.jsonl', posts, 'all', index).note).toBe('used for tuning: optimistic');
    expect(describeRows('report.jsonl', posts, 'all', index).note).toBe('report-only: never trained or tuned on');
    expect(describeRows('mine.jsonl', posts, 'all', index)).toMatchObject({
      use: 'unknown',
      note: 'not in datasets/splits: say how it was used when you report it',
    });
  });

  it('warns when the file is not the one the split was drawn from', () => {
    const grown = [...posts, { id: 't-6' }];
    expect(describeRows('toy-set.jsonl', grown, 'report', index).warnings).toEqual([
      'the split was drawn on 5 rows and this file has 6: rows it did not draw count as report rows',
    ]);
    const renamed = posts.map((p) => (p.id === 't-3' ? { id: 't-3b' } : p));
    expect(describeRows('toy-set.jsonl', renamed, 'report', index).warnings).toEqual(['1 train ids of the split are not in this file']);
    expect(describeRows('toy-set.jsonl', posts, 'report', index, 'b'.repeat(64)).warnings).toEqual([
      'this file is not byte for byte the one the split was drawn from (same ids)',
    ]);
  });
});

describe('trainingPartOf', () => {
  it('takes only the train part of a split set', () => {
    const chosen = trainingPartOf('toy-set.jsonl', posts, index);
    expect(chosen).toMatchObject({ part: 'train', posts: [{ id: 't-1' }, { id: 't-3' }] });
  });

  it('refuses a tuning or report-only set, and takes training and unknown files whole', () => {
    expect(trainingPartOf('datasets/tune.jsonl', posts, index)).toEqual({ refused: expect.stringMatching(/tuning set/) });
    expect(trainingPartOf('report.jsonl', posts, index)).toEqual({ refused: expect.stringMatching(/report-only/) });
    expect(trainingPartOf('set-a.jsonl', posts, index)).toMatchObject({ part: 'all', posts });
    expect(trainingPartOf('mine.jsonl', posts, index)).toMatchObject({
      part: 'all',
      posts,
      note: expect.stringMatching(/not in datasets\/splits/),
    });
  });
});

describe('the repository’s split files', () => {
  const repo = dirname(dirname(defaultSplitsDir));
  const publicSets = ['covid-rumor-health', 'truthfulqa-health', 'safetext-health', 'openai-moderation', 'surge-toxicity', 'hatecheck'];

  it('cover every public set and every dataset file in the repository', async () => {
    const found = await readSplitIndex();
    expect([...found.splits.keys()].sort()).toEqual([...publicSets].sort());
    const own = [
      ...readdirSync(join(repo, 'datasets'))
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => `datasets/${f}`),
      ...readdirSync(join(repo, 'policies/training')).map((f) => `policies/training/${f}`),
    ];
    for (const file of own) expect(manifestEntryFor(file, found), file).toBeDefined();
    for (const entry of found.manifest) {
      if (!entry.path.includes('*')) expect(existsSync(join(repo, entry.path)), entry.path).toBe(true);
      // A file name the manifest lists must not also name a split, or eval would have two answers.
      expect(found.splits.has(datasetName(entry.path))).toBe(false);
    }
    expect(found.manifest.find((e) => e.path === 'datasets/forum-posts.report.jsonl')?.use).toBe('report-only');
    expect(found.manifest.find((e) => e.path === 'datasets/forum-posts.tune.jsonl')?.use).toBe('tuning');
  });

  it('hold ids only: no field beyond the documented ones, no id that looks like text', () => {
    for (const set of publicSets) {
      const raw = JSON.parse(readFileSync(join(defaultSplitsDir, `${set}.json`), 'utf8'));
      expect(Object.keys(raw).sort(), set).toEqual(['licence', 'rows', 'rule', 'set', 'sha256', 'source', 'train']);
      expect(new Set(raw.train).size, set).toBe(raw.train.length);
      for (const id of raw.train) expect(id, set).toMatch(/^[a-z][a-z0-9-]{0,40}$/);
      // About half of the rows, never all or none.
      expect(raw.train.length / raw.rows, set).toBeGreaterThan(0.3);
      expect(raw.train.length / raw.rows, set).toBeLessThan(0.7);
    }
  });

  it('follow their rule: a group is in train when the first byte of its SHA-256 is below 128', () => {
    const firstByte = (key: string) => createHash('sha256').update(key, 'utf8').digest()[0] ?? 256;
    // Sets grouped by id: every train id hashes below 128. (The report ids are not in the
    // repository, so the other direction is checked by draw-splits.mjs where the sets are.)
    for (const set of ['covid-rumor-health', 'openai-moderation', 'surge-toxicity', 'hatecheck']) {
      const { train } = JSON.parse(readFileSync(join(defaultSplitsDir, `${set}.json`), 'utf8'));
      for (const id of train) expect(firstByte(id), `${set} ${id}`).toBeLessThan(128);
    }
    // SafeText by scenario: both safe and unsafe advice of one scenario on one side.
    const { train } = JSON.parse(readFileSync(join(defaultSplitsDir, 'safetext-health.json'), 'utf8'));
    for (const id of train as string[]) expect(firstByte(id.replace(/^(st-\d+)-.*$/, '$1')), id).toBeLessThan(128);
  });

  it('come with the script that drew them; src/ and package.json never read the public sets', () => {
    expect(existsSync(join(defaultSplitsDir, 'draw-splits.mjs'))).toBe(true);
    expect(existsSync(join(defaultSplitsDir, MANIFEST_FILE))).toBe(true);
    const sources = readdirSync(join(repo, 'src'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    for (const file of [...sources, join(repo, 'package.json')])
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/\.\.\/shared|shared\/datasets/);
  });
});

// Draws the train / report split of each public labelled set, once, and writes only ids.
//
//   node datasets/splits/draw-splits.mjs [dir]    (dir: the sets, default ../shared/datasets/external)
//
// Run by hand, never by the service or the tests: the sets live outside the repository under
// their own licences, and only their ids may be copied in. A split file that already exists is
// checked, never rewritten: a split is fixed once, so a report part stays a report part.
//
// Rule: rows that must not straddle the split share a group key (TruthfulQA: the question, the
// text up to the first "?"; SafeText: the scenario number of `st-<n>-…`; the rest: the row's
// id); a group goes to train when the first byte of the SHA-256 of its key is below 128.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const from = resolve(process.argv[2] ?? join(here, '../../../shared/datasets/external'));

const byId = { rule: 'group = the row id', key: (row) => row.id };
const sets = [
  {
    set: 'covid-rumor-health',
    licence: 'MIT (Copyright (c) 2020 hlc1209)',
    source: 'https://github.com/MickeysClubhouse/COVID-19-rumor-dataset @ 6ba8adf28a2ca607717c6bbe3c1f4ea95d6d9571, Data/news/news.csv',
    ...byId,
  },
  {
    set: 'truthfulqa-health',
    licence: 'Apache-2.0 (TruthfulQA, Lin, Hilton & Evans, ACL 2022)',
    source:
      'https://github.com/sylinrl/TruthfulQA (copy at https://github.com/benedictflorance/truthfulqa_experiments @ ef3cc8722c3a1b6b807643bb39b885de730823e0)',
    rule: 'group = the question, the text before the first "?" (trimmed), so the answers to one question stay on one side',
    key: (row) => {
      const end = row.text.indexOf('?');
      if (end < 0) throw new Error(`${row.id}: no "?" to end the question`);
      return row.text.slice(0, end).trim();
    },
  },
  {
    set: 'safetext-health',
    licence: 'MIT (Copyright (c) 2022 sharonlevy)',
    source: 'https://github.com/sharonlevy/SafeText @ 25bb7a8c4a00634bc0ea1b5e85bec85cf32f36aa, SafeText.json',
    rule: 'group = the scenario, "st-<n>" of the id st-<n>-…, so the safe and unsafe advice for one scenario stay on one side',
    key: (row) => {
      const match = /^st-(\d+)-/.exec(row.id);
      if (!match) throw new Error(`${row.id}: not st-<n>-…`);
      return `st-${match[1]}`;
    },
  },
  {
    set: 'openai-moderation',
    licence: 'MIT (Copyright (c) 2022 OpenAI)',
    source: 'https://github.com/openai/moderation-api-release @ f4ab51b5edd3bfbcb349a56324274235b674e0e4',
    ...byId,
  },
  {
    set: 'surge-toxicity',
    licence: 'MIT (Copyright (c) 2021 Surge AI)',
    source: 'https://github.com/surge-ai/toxicity @ ea80324b95ed7e3cc787bdb6faeb763fcc0ae258, toxicity_en.csv',
    ...byId,
  },
  {
    set: 'hatecheck',
    licence: 'CC BY 4.0 (HateCheck, Röttger et al., ACL 2021)',
    source: 'https://github.com/paul-rottger/hatecheck-data @ d84302298ceeb34f4b0dde2d8a1f4932c2caa612, test_suite_cases.csv',
    ...byId,
  },
];

const inTrain = (key) => createHash('sha256').update(key, 'utf8').digest()[0] < 128;
const byNumber = (a, b) => a.localeCompare(b, 'en', { numeric: true });

let failed = false;
for (const spec of sets) {
  const file = join(from, `${spec.set}.jsonl`);
  if (!existsSync(file)) {
    console.error(`${spec.set}: ${file} is absent, skipped`);
    continue;
  }
  const content = readFileSync(file);
  // Only the id, the labels (for the summary) and, for TruthfulQA, the question are read.
  const rows = content
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
  const train = rows.filter((row) => inTrain(spec.key(row))).map((row) => row.id);
  const split = {
    set: spec.set,
    licence: spec.licence,
    source: spec.source,
    rule: `${spec.rule}; a group is in train when the first byte of SHA-256(group, UTF-8) is below 128, else in the report part. Drawn once by datasets/splits/draw-splits.mjs`,
    rows: rows.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    train: train.sort(byNumber),
  };
  const trainSet = new Set(train);
  const summary = (part) => {
    const counts = {};
    for (const row of rows.filter((r) => trainSet.has(r.id) === (part === 'train'))) {
      const label = row.labels.length === 0 ? 'clean' : row.labels.join('+');
      counts[label] = (counts[label] ?? 0) + 1;
    }
    return Object.entries(counts)
      .map(([label, n]) => `${label} ${n}`)
      .join(', ');
  };
  const groups = new Set(rows.map(spec.key)).size;
  console.error(`${spec.set}: ${rows.length} rows in ${groups} groups; train ${train.length} (${summary('train')}); report ${rows.length - train.length} (${summary('report')})`);

  const out = join(here, `${spec.set}.json`);
  if (existsSync(out)) {
    const fixed = JSON.parse(readFileSync(out, 'utf8'));
    const same = JSON.stringify(fixed.train) === JSON.stringify(split.train) && fixed.rows === split.rows;
    if (!same) {
      failed = true;
      console.error(`${spec.set}: DIFFERS from the fixed split in ${out}; left as it is`);
    } else if (fixed.sha256 !== split.sha256) console.error(`${spec.set}: same split, but the file's bytes changed since it was drawn`);
    continue;
  }
  writeFileSync(out, `${JSON.stringify(split, null, 2)}\n`);
  console.error(`${spec.set}: wrote ${out}`);
}
process.exitCode = failed ? 1 : 0;

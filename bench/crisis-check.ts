/**
 * Crisis check benchmark: `npm run bench:crisis-check`. Times the check ingest runs on every
 * post before queueing it (the self_harm policy's rule signals, no model) on fictional posts of
 * about 200 B, 1 KB and 4 KB, beside a floor (lower-casing the post and one trivial regex) and
 * the full scorer the worker runs. Prints median and p99 in microseconds; asserts nothing.
 */
import { createCrisisCheck } from '../src/moderation/crisis-check.ts';
import { createLocalScorer } from '../src/moderation/local-scorer.ts';
import { seededRandom } from '../src/moderation/model/seeded-random.ts';
import { loadPolicySet } from '../src/policies/loader.ts';
import { floor, summarise, time } from './support/timing.ts';

const sizes = [
  { label: '200 B', bytes: 200, iterations: 5000 },
  { label: '1 KB', bytes: 1024, iterations: 3000 },
  { label: '4 KB', bytes: 4096, iterations: 1000 },
];
const postsPerSize = 50;

// Fictional sentences in a support forum's voice; one post in twenty carries crisis language.
const everyday = [
  'I take 300 mg gabapentin at night and the brain fog is awful by mid-morning.',
  'Physio gave me three stretches for my lower back and I actually did them every day this week.',
  'Honestly this flare is killing me, three days of barely sleeping.',
  'The insurer denied the infusion again and I cried in the car park for twenty minutes.',
  'How long did duloxetine take to kick in for you?',
  'Does anyone else get worse sciatica on long car journeys, and what helps?',
  'My GP finally referred me to the pain clinic, only an eleven month wait apparently.',
  'Heat pad on the hips, ice on the knees, and a very patient cat on my lap.',
];
const crisis = [
  "I've saved up all my pills and I'm going to take them tonight.",
  'Ya no quiero vivir, he guardado las pastillas.',
  'Everyone would be better off without me.',
];

function buildPost(bytes: number, random: () => number): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)] as string;
  const inCrisis = random() < 0.05;
  const sentences: string[] = [];
  let size = 0;
  while (size < bytes) {
    const sentence = inCrisis && sentences.length === 1 ? pick(crisis) : pick(everyday);
    if (size > 0 && size + sentence.length / 2 > bytes) break;
    sentences.push(sentence);
    size += Buffer.byteLength(sentence) + 1;
  }
  return sentences.join(' ');
}

const policySet = await loadPolicySet();
const compileStarted = performance.now();
const check = createCrisisCheck(policySet);
const compileMs = performance.now() - compileStarted;
const scorer = createLocalScorer(policySet.policies, policySet.model, policySet.knowledge);
const random = seededRandom(0xc7151);
const corpus = sizes.map((size) => ({ ...size, posts: Array.from({ length: postsPerSize }, () => buildPost(size.bytes, random)) }));

const crisisCheck = (text: string) => (check.mayBeCrisis({ body: text }) ? 1 : 0);
const fullScore = (text: string) => scorer.score(text).policies.filter((p) => p.flagged).length;

let sink = 0;
for (let round = 0; round < 3; round++)
  for (const { posts } of corpus) for (const t of posts) sink += crisisCheck(t) + fullScore(t) + floor(t);

const out = (line = '') => process.stdout.write(`${line}\n`);
out(`crisis check benchmark · policy set ${policySet.version} · node ${process.version} · compiled in ${compileMs.toFixed(1)} ms`);
out();
const widths = [7, 7, 6, 12, 10, 12, 16, 9, 9];
const row = (cells: string[]) => out(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' '));
row(['size', 'mean B', 'runs', 'median µs', 'p99 µs', 'floor µs', 'full scorer µs', '× floor', 'to lane']);
for (const { label, iterations, posts } of corpus) {
  const checked = time(posts, iterations, crisisCheck);
  const floored = time(posts, iterations, floor);
  const scored = time(posts, Math.min(iterations, 1000), fullScore);
  sink += checked.sink + floored.sink + scored.sink;
  const c = summarise(checked.samples);
  const f = summarise(floored.samples);
  const s = summarise(scored.samples);
  const meanBytes = posts.reduce((n, p) => n + Buffer.byteLength(p), 0) / posts.length;
  const toLane = posts.filter((p) => crisisCheck(p) === 1).length / posts.length;
  row([
    label,
    meanBytes.toFixed(0),
    String(iterations),
    (c.median * 1000).toFixed(1),
    (c.p99 * 1000).toFixed(1),
    (f.median * 1000).toFixed(2),
    (s.median * 1000).toFixed(1),
    `${(c.median / f.median).toFixed(0)}×`,
    `${(toLane * 100).toFixed(0)}%`,
  ]);
}
out();
out('median/p99: the crisis check (self_harm rule signals, no model) per post, in microseconds;');
out('floor: lower-case the post and test one trivial regex; full scorer: every policy with the model;');
out('to lane: share of the benchmark posts the check sends to the crisis lane.');
out(`(checksum ${sink})`);

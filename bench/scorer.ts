/**
 * Scorer benchmark: `npm run bench:scorer`. Times `scorePost` (every policy plus the decision,
 * the code path the moderation worker runs) on fictional forum posts of about 200 B, 1 KB and
 * 8 KB, next to a floor (lower-casing the post and running one trivial regex) that shows what
 * merely touching the text costs. Prints figures; it asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { createLocalScorer } from '../src/moderation/local-scorer.ts';
import { seededRandom } from '../src/moderation/model/seeded-random.ts';
import { scorePost } from '../src/moderation/score-post.ts';
import { loadPolicySet } from '../src/policies/loader.ts';
import { floor, summarise, time } from './support/timing.ts';

const targetMedianMs = 0.5;
const sizes = [
  { label: '200 B', bytes: 200, iterations: 2000 },
  { label: '1 KB', bytes: 1024, iterations: 1000 },
  { label: '8 KB', bytes: 8192, iterations: 200 },
];
/** Distinct posts per size, cycled through, so no single string gets unusually hot. */
const postsPerSize = 50;
const warmUpRounds = 3;

// Fictional sentences in the dev set's voice. Most are the sharing a support forum exists for:
// own doses, venting, questions. A few are the kind of thing the policies are there to catch.
const sharing = [
  'I take 300 mg gabapentin at night and the brain fog is awful by mid-morning.',
  'My rheumatologist bumped me up to 20 mg methotrexate last month and the nausea on Fridays is rough.',
  'Been on 60 mg duloxetine for a year now; it takes the edge off the burning but not the aching.',
  'Physio gave me three stretches for my lower back and I actually did them every day this week.',
  'Heat pad on the hips, ice on the knees, and a very patient cat on my lap.',
  'Started hydrotherapy on Tuesday and it is the first exercise in years that does not flare me.',
  'My GP finally referred me to the pain clinic, only an eleven month wait apparently.',
  'I keep a pain diary now and it turns out my bad days follow bad sleep, not the weather.',
  'Switched to a standing desk at work and my neck is grateful.',
];
const venting = [
  'Honestly this flare is killing me, three days of barely sleeping.',
  'I am so tired of explaining to my family that chronic pain does not take weekends off.',
  'The insurer denied the infusion again and I cried in the car park for twenty minutes.',
  'Nobody warns you how lonely it gets when you cancel plans for the fourth time in a month.',
  'Some days I hate my body, today is one of them, tomorrow might be better.',
  'The waiting room TV was blaring and my migraine was not impressed.',
];
const questions = [
  'Has anyone asked their pharmacist about taking naproxen with blood pressure tablets?',
  'How long did duloxetine take to kick in for you?',
  'Does anyone else get worse sciatica on long car journeys, and what helps?',
  'Any tips for explaining fibromyalgia to a new manager without oversharing?',
  'What do you pack in your hospital bag for a long infusion day?',
  'Is it normal for the pain clinic to ask for a diary before the first appointment?',
];
const flagged = [
  'Just quit your duloxetine cold turkey, you do not need a taper.',
  'You are a pathetic liar and everyone in this group knows it.',
  'Turmeric cures fibromyalgia and big pharma is hiding it from you.',
  'Her number is 0412 555 019, call her and tell her what you think.',
  'Double your oxycodone if it is not working and take it with a couple of beers.',
];

/** A post of about `bytes` UTF-8 bytes: sentences in paragraphs, one in eight posts carrying a flagged sentence. */
function buildPost(bytes: number, random: () => number): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)] as string;
  const carriesFlag = random() < 0.125;
  const sentences: string[] = [];
  let size = 0;
  while (size < bytes) {
    const roll = random();
    const sentence = carriesFlag && sentences.length === 1 ? pick(flagged) : pick(roll < 0.55 ? sharing : roll < 0.8 ? venting : questions);
    // Stop short of overshooting the target by more than half a sentence.
    if (size > 0 && size + sentence.length / 2 > bytes) break;
    sentences.push(sentence);
    size += Buffer.byteLength(sentence) + 1;
  }
  // A paragraph break every four sentences, as longer posts have.
  return sentences.map((s, i) => (i > 0 && i % 4 === 0 ? `\n\n${s}` : i > 0 ? ` ${s}` : s)).join('');
}

function hardPosts(bytes: number): string[] {
  const lines = readFileSync(new URL('../policies/training/set-a.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  const posts: string[] = [];
  let post = '';
  for (const line of lines) {
    post += `${(JSON.parse(line) as { text: string }).text}\n\n`;
    if (Buffer.byteLength(post) >= bytes) {
      posts.push(post.trim());
      post = '';
    }
  }
  return posts.slice(0, postsPerSize);
}

const policySet = await loadPolicySet();
const scorer = createLocalScorer(policySet.policies, policySet.model, policySet.knowledge);
const random = seededRandom(0x4ea27);
const corpus = sizes.map((size) => ({ ...size, posts: Array.from({ length: postsPerSize }, () => buildPost(size.bytes, random)) }));
// A harder case than everyday traffic: about 1 KB of the hard minimal pairs the model was
// trained on (half of them flagged, every sentence full of cues), so that many more signals
// have to run. Reported beside the target, not against it.
corpus.push({ label: '1 KB hard', bytes: 1024, iterations: 1000, posts: hardPosts(1024) });

// Returning a number from each run, summed and printed, keeps the work from being optimised away.
const score = (text: string) => scorePost(policySet, scorer, { body: text }).verdict.policies.filter((p) => p.flagged).length;

let sink = 0;
// Warm-up: V8 compiles the regexes, then optimises the hot paths, before anything is timed.
for (let round = 0; round < warmUpRounds; round++) {
  for (const { posts } of corpus) for (const text of posts) sink += score(text) + floor(text);
}

const out = (line = '') => process.stdout.write(`${line}\n`);
out(`scorer benchmark · policy set ${policySet.version} (${policySet.policies.length} policies) · node ${process.version}`);
out();
const header = ['size', 'mean B', 'runs', 'median ms', 'p99 ms', 'posts/s', 'floor median µs', '× floor', 'flagged'];
const widths = [9, 7, 6, 10, 8, 9, 16, 8, 8];
const row = (cells: string[]) => out(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' '));
row(header);

let oneKbMedian = 0;
for (const { label, iterations, posts } of corpus) {
  const scored = time(posts, iterations, score);
  const floored = time(posts, iterations, floor);
  sink += scored.sink + floored.sink;
  const s = summarise(scored.samples);
  const f = summarise(floored.samples);
  if (label === '1 KB') oneKbMedian = s.median;
  const meanBytes = posts.reduce((n, p) => n + Buffer.byteLength(p), 0) / posts.length;
  const flaggedShare = posts.filter((p) => score(p) > 0).length / posts.length;
  row([
    label,
    meanBytes.toFixed(0),
    String(iterations),
    s.median.toFixed(4),
    s.p99.toFixed(4),
    Math.round(s.postsPerSecond).toLocaleString('en-US'),
    (f.median * 1000).toFixed(2),
    `${(s.median / f.median).toFixed(0)}×`,
    `${(flaggedShare * 100).toFixed(0)}%`,
  ]);
}

out();
out(`1 KB median ${oneKbMedian.toFixed(3)} ms = ${(oneKbMedian / targetMedianMs).toFixed(2)}× the ${targetMedianMs} ms target`);
out('floor: lower-case the post and test one trivial regex (includes the timer’s own cost);');
out('flagged: share of the benchmark posts with any policy flagged.');
out(`(checksum ${sink})`);

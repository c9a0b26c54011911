/**
 * Dashboard page speed: `npm run bench:dashboard [-- --items 200 --rounds 40]`.
 * On a private database and queue prefix, stores `items` decisions awaiting review (one in
 * five urgent), signs a moderator in, and times whole answers over a real loopback HTTP server:
 * the queue page (every item on one page), a decision page (which also claims), and, as the
 * baseline measured in the same run, the JSON review queue route with the same items. Prints
 * median, p95 and the page size; cleans up.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createApiKey } from '../src/auth/api-keys.ts';
import { startSession } from '../src/auth/dashboard-sessions.ts';
import { recordDecision } from '../src/decisions/record-decision.ts';
import { createForum } from '../src/forums/forums.ts';
import { contentHash } from '../src/ingest/submission.ts';
import { policyIds } from '../src/moderation/types.ts';
import { startPrivateInstance } from './support/private-instance.ts';

const { values: args } = parseArgs({ options: { items: { type: 'string', default: '200' }, rounds: { type: 'string', default: '40' } } });
const items = Number(args.items);
const rounds = Number(args.rounds);

const out = (line = '') => process.stdout.write(`${line}\n`);

const instance = await startPrivateInstance('dashboard');
const { ctx } = instance;
try {
  const port = await instance.serve();
  await createForum(ctx.database.db, { id: 'chronic-pain' }, { allowPrivate: false, actor: 'bench' });
  const body = 'You are a pathetic liar and everyone here knows it. I take 300 mg gabapentin and the brain fog is awful.';
  let firstId = '';
  for (let i = 0; i < items; i++) {
    const post = { id: `bench-${i}`, author: { id: `u-${i % 17}` }, body, format: 'text' as const };
    const flagged = policyIds[i % policyIds.length];
    const { decision } = await recordDecision(ctx.database.db, {
      job: {
        forumId: 'chronic-pain',
        submissionId: `sub_${randomUUID()}`,
        contentHash: contentHash(post),
        receivedAt: new Date().toISOString(),
        post,
      },
      policySetVersion: ctx.policySet.version,
      verdict: {
        action: i % 2 ? 'hold' : 'review',
        urgent: i % 5 === 0,
        policies: policyIds.map((policy) => ({
          policy,
          score: policy === flagged ? 0.9 : 0.05,
          flagged: policy === flagged,
          evidence: policy === flagged ? [{ start: 0, end: 25, text: body.slice(0, 25) }] : [],
          rationale: policy === flagged ? 'bench flag' : 'no signal',
        })),
      },
      scorers: ['local-rules'],
      timings: { score_ms: 0.4 },
      language: 'en',
    });
    if (i === 0) firstId = decision.id;
  }
  const { key } = await createApiKey(ctx.database.db, { role: 'moderator', forumIds: ['chronic-pain'], name: 'bench' });
  const session = await startSession(ctx.database.db, key);
  if (!session) throw new Error('could not start a session');
  const cookie = `hearth_session=${session.token}`;
  const base = `http://127.0.0.1:${port}`;

  const time = async (path: string, headers: Record<string, string>) => {
    const ms: number[] = [];
    let bytes = 0;
    for (let r = 0; r < rounds + 3; r++) {
      const start = performance.now();
      const res = await fetch(`${base}${path}`, { headers, redirect: 'manual' });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      if (r >= 3) ms.push(performance.now() - start); // the first answers warm caches and JIT
      bytes = Buffer.byteLength(text);
    }
    ms.sort((a, b) => a - b);
    const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? Number.NaN;
    return { median: pct(0.5), p95: pct(0.95), bytes };
  };
  const rows = [
    [
      'JSON /v1/review-queue (baseline)',
      await time(`/v1/review-queue?limit=${Math.min(items, 200)}&include_claimed=true`, { authorization: `Bearer ${key}` }),
    ],
    ['queue page /dashboard/queue', await time('/dashboard/queue', { cookie })],
    ['decision page (claims it)', await time(`/dashboard/decisions/${firstId}`, { cookie })],
  ] as const;
  out(`${items} decisions awaiting review, ${rounds} requests each, loopback HTTP, whole answer read`);
  out(`${'answer'.padEnd(34)} ${'median'.padStart(9)} ${'p95'.padStart(9)} ${'size'.padStart(9)}`);
  for (const [name, r] of rows) {
    out(
      `${name.padEnd(34)} ${`${r.median.toFixed(1)} ms`.padStart(9)} ${`${r.p95.toFixed(1)} ms`.padStart(9)} ${`${(r.bytes / 1024).toFixed(0)} KB`.padStart(9)}`,
    );
  }
} finally {
  await instance.close();
}

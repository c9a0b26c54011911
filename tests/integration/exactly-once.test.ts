import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, decisions, deliveries, policySets, revisions } from '../../src/db/schema/index.ts';
import { policySetVersion, readPolicyFiles } from '../../src/policies/loader.ts';
import { createModerateProcessor } from '../../workers/moderate.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { queuesDrained } from '../support/queues.ts';
import { keyFor, scoreAndRecord } from '../support/seed.ts';

describe('exactly one decision and callback per revision', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: true, receiver: true });
  });
  afterAll(() => h.close());

  /** Waits until every job has finished: any second callback would have arrived by then. */
  const flush = () => queuesDrained(h.ctx);

  const bodies = () => h.receiver.calls.map((c) => JSON.parse(c.body).data);

  it('a duplicate send makes no second decision or callback; an edit is a new revision', async () => {
    const post = samplePost('I take 300 mg gabapentin and the brain fog is awful.');
    const first = await h.submit(post, { query: '?wait=10000' });
    expect(first.status).toBe(200);
    const again = await h.submit(post, { query: '?wait=10000' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { decision_id: string }).decision_id).toBe(
      ((await first.json()) as { decision_id: string }).decision_id,
    );
    await flush();
    expect(bodies().filter((d) => d.post_id === post.id)).toHaveLength(1);

    const edited = { ...post, body: 'Edit: it is 600 mg now, my doctor raised it.' };
    expect((await h.submit(edited)).status).toBe(202);
    await flush();
    const forPost = bodies().filter((d) => d.post_id === post.id);
    expect(forPost.map((d) => d.revision)).toEqual([1, 2]);
    const db = h.ctx.database.db;
    expect(await db.select().from(decisions).where(eq(decisions.postId, post.id))).toHaveLength(2);
    expect(await db.select().from(revisions).where(eq(revisions.postId, post.id))).toHaveLength(2);
  });

  it('a duplicate arriving after its job was cleaned up is absorbed by the unique decision key', async () => {
    const post = samplePost('Heat pads and pacing help my back on bad days.');
    expect((await h.submit(post, { query: '?wait=10000' })).status).toBe(200);
    // Find the finished job by its deterministic id and remove it, as retention eventually does.
    const [rev] = await h.ctx.database.db.select().from(revisions).where(eq(revisions.postId, post.id));
    const job = await h.ctx.queues.moderate.getJob(rev?.submissionId ?? '');
    await job?.remove();
    expect(await h.ctx.queues.moderate.getJob(rev?.submissionId ?? '')).toBeUndefined();

    const res = await h.submit(post, { query: '?wait=10000' });
    expect(res.status).toBe(200);
    await flush();
    expect(bodies().filter((d) => d.post_id === post.id)).toHaveLength(1);
    expect(await h.ctx.database.db.select().from(decisions).where(eq(decisions.postId, post.id))).toHaveLength(1);
  });

  it('a re-send after the job was trimmed and a new policy set published keeps the first decision and the moderator’s override', async () => {
    const post = samplePost('Honestly you are all useless, nobody here knows anything.');
    const first = (await (await h.submit(post, { query: '?wait=10000' })).json()) as { decision_id: string; policy_set_version: string };
    const { headers } = await keyFor(h.ctx, 'moderator', ['chronic-pain']);
    const review = await h.app.request(`/v1/decisions/${first.decision_id}/reviews`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'override', action: 'allow', labels: [], note: 'Venting, not aimed at anyone.' }),
    });
    expect(review.status).toBeLessThan(300);

    // The completed job is trimmed, then a new policy set is published and taken up.
    const [rev] = await h.ctx.database.db.select().from(revisions).where(eq(revisions.postId, post.id));
    await (await h.ctx.queues.moderate.getJob(rev?.submissionId ?? ''))?.remove();
    const files = await readPolicyFiles();
    const [name] = [...files.keys()].filter((f) => f.endsWith('.yaml'));
    files.set(name ?? 'hostility.yaml', `${files.get(name ?? 'hostility.yaml')}\n# republished\n`);
    await h.ctx.database.db
      .insert(policySets)
      .values({ version: policySetVersion(files), files: Object.fromEntries(files), author: 'test', examplesPassed: 0 });
    expect(await h.ctx.policies.refresh(h.ctx.database.db)).toBe(true);
    expect(h.ctx.policies.current().policySet.version).not.toBe(first.policy_set_version);

    const again = await h.submit(post, { query: '?wait=10000' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { decision_id: string }).decision_id).toBe(first.decision_id);
    await flush();
    expect(await h.ctx.database.db.select().from(decisions).where(eq(decisions.postId, post.id))).toHaveLength(1);
    const created = h.receiver.calls
      .map((c) => JSON.parse(c.body))
      .filter((b) => b.type === 'verdict.created' && b.data.post_id === post.id);
    expect(created).toHaveLength(1);
    const inForce = await h.app.request(`/v1/forums/chronic-pain/posts/${post.id}/verdict`, { headers });
    expect(((await inForce.json()) as { action: string }).action).toBe('allow');
  });

  it('the same job processed twice at once stores one decision and one delivery', async () => {
    const post = samplePost('Concurrent processing check.');
    const { submission_id } = (await (await h.submit(post)).json()) as { submission_id: string };
    const job = await h.ctx.queues.moderate.getJob(submission_id);
    if (!job) throw new Error('job missing');
    const process = createModerateProcessor(h.ctx);
    const results = await Promise.all([process(job), process(job), process(job)]);
    expect(new Set(results.map((r) => r?.decision_id)).size).toBe(1);
    expect(results[0]?.decision_id).toEqual(expect.any(String));
    await flush();
    const rows = await h.ctx.database.db.select().from(decisions).where(eq(decisions.postId, post.id));
    expect(rows).toHaveLength(1);
    expect(
      await h.ctx.database.db
        .select()
        .from(deliveries)
        .where(eq(deliveries.decisionId, rows[0]?.id ?? '')),
    ).toHaveLength(1);
    expect(bodies().filter((d) => d.post_id === post.id)).toHaveLength(1);
  });

  it('edits of one post stored at once get revisions 1 to n, each with one decision, a callback and its audit events', async () => {
    const original = { ...samplePost('Racing edits check.'), format: 'text' as const };
    const edits = Array.from({ length: 6 }, (_, i) => ({ ...original, body: `Racing edits check, version ${i + 1}.` }));
    // Each edit twice, so racing duplicates meet racing revisions; more calls than pool connections.
    const calls = [...edits, ...edits].map((post) => scoreAndRecord(h.ctx, post));
    const recorded = await Promise.all(calls);
    expect(recorded.filter((r) => r.created)).toHaveLength(edits.length);
    const db = h.ctx.database.db;
    const stored = await db.select().from(revisions).where(eq(revisions.postId, original.id));
    expect(stored.map((r) => r.revision).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const decided = await db.select().from(decisions).where(eq(decisions.postId, original.id));
    expect(decided).toHaveLength(edits.length);
    for (const d of decided) {
      expect(d.revision).toBe(stored.find((r) => r.id === d.revisionId)?.revision);
      const [delivery] = await db.select().from(deliveries).where(eq(deliveries.decisionId, d.id));
      expect(delivery?.payload).toMatchObject({ data: { revision: d.revision, decision_id: d.id } });
      const [event] = await db.select().from(auditEvents).where(eq(auditEvents.subjectId, d.id));
      expect(event?.payload).toMatchObject({ revision: d.revision, delivery_id: delivery?.id });
    }
    // Every call for one content answers with that content's one decision.
    for (const r of recorded) expect(decided.map((d) => d.id)).toContain(r.decision.id);
    expect(new Set(recorded.map((r) => r.decision.id)).size).toBe(edits.length);
  });
});

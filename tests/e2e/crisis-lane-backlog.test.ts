import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisions } from '../../src/db/schema/index.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { queuesDrained } from '../support/queues.ts';

// Slow by nature (a real backlog through one ordinary worker), hence e2e rather than `npm test`.
const CRISIS = "I've saved up all my pills and I'm going to take them tonight. Thank you all for everything.";

interface Callback {
  type: string;
  data: { post_id: string; urgent?: boolean };
}
const callbacks = (h: Harness): Callback[] => h.receiver.calls.map((c) => JSON.parse(c.body) as Callback);
/** The verdicts the forum received for a post (an urgent post also gets an `alert.urgent`). */
const callbacksFor = (h: Harness, postId: string, type = 'verdict.created') =>
  callbacks(h)
    .filter((c) => c.type === type && c.data.post_id === postId)
    .map((c) => c.data);

describe('the crisis lane under a backlog', () => {
  let h: Harness;
  beforeAll(async () => {
    // One ordinary worker and one ordinary deliverer, so the backlog is real.
    h = await startHarness({ workers: true, receiver: true, config: { workers: { moderateConcurrency: 1, deliverConcurrency: 1 } } });
  });
  afterAll(() => h.close());

  it('decides and calls back a crisis post ahead of a backlog of ordinary posts', async () => {
    const harness = h;
    const backlog = Array.from({ length: 300 }, (_, i) => samplePost(`Day ${i} of the flare; heat pads and pacing help a little.`));
    for (let i = 0; i < backlog.length; i += 50) {
      const sent = await Promise.all(backlog.slice(i, i + 50).map((p) => harness.submit(p)));
      expect(sent.every((r) => r.status === 202)).toBe(true);
    }
    const crisis = samplePost(CRISIS);
    expect((await harness.submit(crisis)).status).toBe(202);

    const last = backlog[backlog.length - 1]?.id ?? '';
    await eventually(() => callbacksFor(harness, last).length > 0, 60_000, "the backlog's last callback");
    const order = callbacks(harness).map((c) => `${c.type} ${c.data.post_id}`);
    const crisisAt = order.indexOf(`verdict.created ${crisis.id}`);
    expect(crisisAt).toBeGreaterThanOrEqual(0);
    expect(crisisAt).toBeLessThan(order.indexOf(`verdict.created ${last}`));
    expect(callbacksFor(harness, crisis.id)).toEqual([expect.objectContaining({ urgent: true })]);
    // One alert for the moderators, queued before the verdict and overtaking the backlog too. The
    // lane's deliverer sends several callbacks at once, so the alert and the verdict can reach the
    // forum in either order (measured: the alert a few ms ahead in most runs).
    expect(callbacksFor(harness, crisis.id, 'alert.urgent')).toHaveLength(1);
    expect(order.indexOf(`alert.urgent ${crisis.id}`)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(`alert.urgent ${crisis.id}`)).toBeLessThan(order.indexOf(`verdict.created ${last}`));
    const [row] = await harness.ctx.database.db.select().from(decisions).where(eq(decisions.postId, crisis.id));
    expect(row).toMatchObject({ lane: 'urgent', urgent: true });
    await queuesDrained(harness.ctx, 60_000);
  }, 90_000);
});

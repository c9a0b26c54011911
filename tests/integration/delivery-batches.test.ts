import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, deliveries, deliveryAttempts } from '../../src/db/schema/index.ts';
import { attemptDelivery } from '../../src/deliveries/attempt-delivery.ts';
import { recordAttempt } from '../../src/deliveries/delivery-batches.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { scoreAndRecord } from '../support/seed.ts';

// Deliver jobs that reach the same point in one turn of the event loop share a statement.
describe('deliveries read and recorded in batches', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ receiver: true });
  });
  afterAll(() => h.close());

  const options = { timeoutMs: 5000, allowPrivate: true, maxAttempts: 10 };

  it('deliveries attempted at once are read in one statement, and each gets its one attempt and delivered event', async () => {
    const db = h.ctx.database.db;
    const recorded = await Promise.all(
      Array.from({ length: 5 }, (_, i) => scoreAndRecord(h.ctx, { ...samplePost(`Delivered together, post ${i + 1}.`), format: 'text' })),
    );
    const ids = recorded.flatMap((r) => r.pendingDeliveryIds);
    expect(ids).toHaveLength(5);
    // The most deliveries one statement read (they all start in this turn; their answers come in
    // whatever turns the receiver's replies arrive, so how attempts group is not fixed).
    let largestBatch = 0;
    const sqlOptions = h.ctx.database.sql.options as { debug?: unknown };
    sqlOptions.debug = (_connection: number, query: string, parameters: unknown[]) => {
      if (query.includes('jsonb_array_elements_text')) largestBatch = Math.max(largestBatch, JSON.parse(String(parameters[0])).length);
    };
    try {
      const results = await Promise.all(ids.map((id) => attemptDelivery(db, id, options)));
      expect(results.map((r) => r.outcome)).toEqual(ids.map(() => 'succeeded'));
    } finally {
      sqlOptions.debug = undefined;
    }
    expect(largestBatch).toBeGreaterThan(1);
    expect(h.receiver.calls).toHaveLength(5);

    const rows = await db.select().from(deliveries).where(inArray(deliveries.id, ids));
    expect(rows.map((d) => [d.status, d.attempts, d.lastStatusCode])).toEqual(ids.map(() => ['succeeded', 1, 200]));
    const attempts = await db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, ids));
    expect(attempts.map((a) => a.attempt).sort()).toEqual([1, 1, 1, 1, 1]);
    const delivered = await db.select().from(auditEvents).where(eq(auditEvents.type, 'delivered'));
    expect(delivered.map((e) => e.subjectId).sort()).toEqual([...ids].sort());
  });

  it('two attempts of one delivery in one turn are both counted', async () => {
    const db = h.ctx.database.db;
    const [deliveryId] = (await scoreAndRecord(h.ctx, { ...samplePost('Attempted twice at once.'), format: 'text' })).pendingDeliveryIds;
    if (!deliveryId) throw new Error('no delivery');
    const attempt = (n: number) =>
      recordAttempt(db, {
        deliveryId,
        attempt: n,
        statusCode: 503,
        latencyMs: 3,
        error: 'HTTP 503',
        startedAt: new Date(),
        status: 'pending',
        audit: null,
      });
    await Promise.all([attempt(1), attempt(2)]);
    const [row] = await db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
    expect(row?.attempts).toBe(2);
    expect(await db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, deliveryId))).toHaveLength(2);
  });
});

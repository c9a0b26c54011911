import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, deliveries, deliveryAttempts, forums } from '../../src/db/schema/index.ts';
import { eventually } from '../support/eventually.ts';
import { type Harness, samplePost, startHarness } from '../support/harness.ts';
import { Receiver } from '../support/receiver.ts';
import { verifyCallback } from '../support/sign.ts';

let h: Harness | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await h?.close();
  await receiver?.stop();
  h = undefined;
  receiver = undefined;
});

async function deliveryOf(harness: Harness, status: string) {
  return eventually(
    async () => {
      const rows = await harness.ctx.database.db.select().from(deliveries);
      return rows.find((d) => d.status === status);
    },
    15_000,
    `a ${status} delivery`,
  );
}

describe('callback delivery', () => {
  it('retries a failing receiver with one webhook-id and stores every attempt', async () => {
    receiver = await new Receiver([500, 502, 503]).start();
    h = await startHarness({ workers: true, callbackUrl: receiver.url });
    expect((await h.submit(samplePost())).status).toBe(202);

    const calls = await receiver.waitForCalls(4);
    const ids = new Set(calls.map((c) => receiver?.headersOf(c)['webhook-id']));
    expect(ids.size).toBe(1);
    for (const c of calls) expect(() => verifyCallback(h?.forum.callback_secret ?? '', c.body, receiver?.headersOf(c) ?? {})).not.toThrow();
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);

    const delivery = await deliveryOf(h, 'succeeded');
    expect(delivery.attempts).toBe(4);
    expect(delivery.webhookId).toBe([...ids][0]);
    const attempts = await h.ctx.database.db
      .select()
      .from(deliveryAttempts)
      .where(eq(deliveryAttempts.deliveryId, delivery.id))
      .orderBy(deliveryAttempts.attempt);
    expect(attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 502],
      [3, 503],
      [4, 200],
    ]);
    expect(attempts[0]?.error).toBe('HTTP 500');
    for (const a of attempts) expect(a.latencyMs).toBeGreaterThanOrEqual(0);
    // Backoff: each wait is at least half the doubled base delay (jitter takes off at most 50%).
    const gaps = calls.slice(1).map((c, i) => c.at - (calls[i]?.at ?? 0));
    for (const [i, gap] of gaps.entries())
      expect(gap).toBeGreaterThanOrEqual(Math.floor((h?.config.callbacks.backoffMs ?? 0) * 2 ** i * 0.5) - 5);
  });

  it('a 410 answer disables the forum callback and later verdicts are not sent', async () => {
    receiver = await new Receiver([410]).start();
    h = await startHarness({ workers: true, callbackUrl: receiver.url });
    expect((await h.submit(samplePost())).status).toBe(202);
    const failed = await deliveryOf(h, 'failed');
    expect(failed.lastStatusCode).toBe(410);
    const [forum] = await h.ctx.database.db.select().from(forums).where(eq(forums.id, 'chronic-pain'));
    expect(forum?.callbackDisabledAt).toBeInstanceOf(Date);
    const types = (await h.ctx.database.db.select().from(auditEvents)).map((e) => e.type);
    expect(types).toContain('callback_disabled');

    // A later post is still decided, but no delivery is created for a disabled callback.
    const next = samplePost('Another day, another flare.');
    expect((await h.submit(next, { query: '?wait=10000' })).status).toBe(200);
    const rows = await h.ctx.database.db.select().from(deliveries);
    expect(rows).toHaveLength(1);
    expect(receiver.calls).toHaveLength(1);
  });

  it('gives up after the configured attempts and records the failure', async () => {
    receiver = await new Receiver(Array(10).fill(500)).start();
    h = await startHarness({ workers: true, callbackUrl: receiver.url, config: { callbacks: { attempts: 3, backoffMs: 20 } } });
    expect((await h.submit(samplePost())).status).toBe(202);
    const failed = await deliveryOf(h, 'failed');
    expect(failed.attempts).toBe(3);
    expect(receiver.calls).toHaveLength(3);
    const types = (await h.ctx.database.db.select().from(auditEvents)).map((e) => e.type);
    expect(types).toContain('delivery_failed');
  });

  it('refuses to call back to a loopback address unless private callbacks are allowed', async () => {
    receiver = await new Receiver().start();
    h = await startHarness({
      workers: true,
      callbackUrl: receiver.url,
      config: { callbacks: { allowPrivate: false, attempts: 2, backoffMs: 20 } },
    });
    expect((await h.submit(samplePost())).status).toBe(202);
    const failed = await deliveryOf(h, 'failed');
    expect(failed.lastError).toMatch(/not public|non-public/);
    expect(receiver.calls).toHaveLength(0);
  });

  it('refuses a hostname that resolves to loopback', async () => {
    receiver = await new Receiver().start();
    h = await startHarness({
      workers: true,
      callbackUrl: receiver.url.replace('127.0.0.1', 'localhost'),
      config: { callbacks: { allowPrivate: false, attempts: 1 } },
    });
    expect((await h.submit(samplePost())).status).toBe(202);
    const failed = await deliveryOf(h, 'failed');
    expect(failed.lastError).toMatch(/non-public address/);
    expect(receiver.calls).toHaveLength(0);
  });
});

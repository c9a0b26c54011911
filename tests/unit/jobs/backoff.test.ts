import { describe, expect, it } from 'vitest';
import { CAPPED_EXPONENTIAL, cappedExponentialBackoff } from '../../../src/jobs/backoff.ts';
import { moderateJobOptions } from '../../../src/jobs/queues.ts';

describe('capped exponential backoff', () => {
  const most = cappedExponentialBackoff(1000, 300_000, () => 0.999999);
  const least = cappedExponentialBackoff(1000, 300_000, () => 0);

  it('doubles from the base delay, with at most half taken off by jitter', () => {
    expect([1, 2, 3, 4].map((n) => most(n, CAPPED_EXPONENTIAL))).toEqual([999, 1999, 3999, 7999]);
    expect([1, 2, 3, 4].map((n) => least(n, CAPPED_EXPONENTIAL))).toEqual([500, 1000, 2000, 4000]);
  });

  it('stops growing at the cap', () => {
    expect(most(30, CAPPED_EXPONENTIAL)).toBeLessThan(300_000);
    expect(least(30, CAPPED_EXPONENTIAL)).toBe(150_000);
  });

  it('the moderate queue retries long enough to outlast hours of database outage', () => {
    let shortest = 0;
    expect(moderateJobOptions.backoff.type).toBe(CAPPED_EXPONENTIAL);
    for (let n = 1; n < moderateJobOptions.attempts; n++) shortest += Number(least(n, CAPPED_EXPONENTIAL));
    expect(shortest).toBeGreaterThan(2 * 3600 * 1000);
  });

  it('leaves other backoff types alone', () => {
    expect(most(3, 'exponential')).toBe(0);
  });
});

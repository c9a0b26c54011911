import type { BackoffStrategy } from 'bullmq';

export const CAPPED_EXPONENTIAL = 'capped-exponential';

/**
 * Moderation retries must outlast a PostgreSQL outage, or an accepted post would end in the
 * failed set. Plain exponential backoff over that many attempts would wait days, so the delay
 * doubles from `baseMs` up to `capMs` and stays there; jitter (50-100%) spreads the herd of
 * retries that an outage builds up.
 */
export function cappedExponentialBackoff(baseMs: number, capMs: number, random: () => number = Math.random): BackoffStrategy {
  return (attemptsMade, type) => {
    if (type !== CAPPED_EXPONENTIAL) return 0;
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
    return Math.floor(ceiling * (0.5 + 0.5 * random()));
  };
}

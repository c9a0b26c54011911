import { z } from 'zod';

/**
 * The earliest instant Hearth stores or searches by. Online forums postdate it; PostgreSQL and
 * JavaScript agree on every instant from here to `LATEST`, whereas year 0 and five-digit years
 * (`0001-01-01T00:30:00+01:00` is 1 BC in UTC) are refused by the database after the fact.
 */
export const EARLIEST = Date.UTC(1970, 0, 1);
/** The last instant with a four-digit year in UTC, the most a query bound may name. */
export const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** How far ahead of the receiving clock a post's own time may be (clock skew, time zones done wrong). */
export const FUTURE_SKEW_MS = 24 * 3600 * 1000;

/**
 * An ISO 8601 date-time with an offset, refused unless it falls between `EARLIEST` and `latest()`
 * once converted to UTC. `latest` is read at each parse: a post's time may not be in the future.
 */
export function isoInstant(latest: () => number = () => LATEST) {
  return z.iso.datetime({ offset: true }).superRefine((value, ctx) => {
    const at = Date.parse(value);
    if (!(at >= EARLIEST && at <= latest())) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${new Date(EARLIEST).toISOString()} and ${new Date(latest()).toISOString()} in UTC`,
      });
    }
  });
}

/** A post's own time: from 1970 to a day after now. */
export const postTime = () => isoInstant(() => Date.now() + FUTURE_SKEW_MS);

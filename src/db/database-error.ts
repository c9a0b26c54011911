/**
 * What a failed query says, without its parameters. Drizzle wraps PostgreSQL errors in a
 * message that lists every bound value, post text included, and that message would otherwise
 * reach logs and the job's failure reason in Redis.
 */
export function describeDatabaseError(err: unknown): { code?: string; message: string } {
  const cause = (err as { cause?: unknown })?.cause;
  const pg = (cause ?? err) as { code?: unknown; message?: unknown };
  const code = typeof pg.code === 'string' ? pg.code : undefined;
  const message = typeof pg.message === 'string' && cause ? pg.message : err instanceof Error ? err.name : 'unknown error';
  return { code, message: message.slice(0, 200) };
}

/** Class 22 (data exception): retrying the same values can never succeed. */
export function isDataError(err: unknown): boolean {
  return describeDatabaseError(err).code?.startsWith('22') ?? false;
}

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describeDatabaseError } from '../db/database-error.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { HttpEnv } from './env.ts';
import { errorBody } from './error-body.ts';

/** The one place an error becomes an HTTP answer, always in the shape of DESIGN.md. */
export function createErrorHandler(log: Logger) {
  return function onError(err: Error, c: Context<HttpEnv>) {
    const requestId = c.get('requestId') ?? 'unknown';
    if (err instanceof AppError) {
      if (err.status >= 500) {
        const cause = err.cause instanceof Error ? safeDescription(err.cause).err : undefined;
        log.warn({ request_id: requestId, code: err.code, err: err.message, cause }, 'request failed');
      }
      if (err.retryAfterSeconds !== undefined) c.header('retry-after', String(err.retryAfterSeconds));
      return c.json(errorBody(err.code, err.message, requestId, err.details), err.status as ContentfulStatusCode);
    }
    if (err instanceof HTTPException) {
      const code: ErrorCode =
        err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : err.status === 404 ? 'not_found' : 'bad_request';
      return c.json(errorBody(code, err.message || code, requestId), err.status as ContentfulStatusCode);
    }
    log.error({ request_id: requestId, ...safeDescription(err) }, 'unhandled error');
    return c.json(errorBody('internal', 'internal error', requestId), 500);
  };
}

/**
 * What may be logged of an error. A failed query's message and stack list its parameters (review
 * notes, post text), so such an error is described by its PostgreSQL code and message only.
 */
function safeDescription(err: Error): { err: string; db_code?: string; stack?: string } {
  if (err.name === 'DrizzleQueryError' || err.cause !== undefined) {
    const { code, message } = describeDatabaseError(err);
    return { err: message, ...(code ? { db_code: code } : {}) };
  }
  return { err: err.message, stack: err.stack };
}

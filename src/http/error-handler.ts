import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { HttpEnv } from './env.ts';
import { errorBody } from './error-body.ts';

/** The one place an error becomes an HTTP answer, always in the shape of DESIGN.md. */
export function createErrorHandler(log: Logger) {
  return function onError(err: Error, c: Context<HttpEnv>) {
    const requestId = c.get('requestId') ?? 'unknown';
    if (err instanceof AppError) {
      if (err.status >= 500)
        log.warn({ request_id: requestId, code: err.code, err: err.message, cause: (err.cause as Error)?.message }, 'request failed');
      return c.json(errorBody(err.code, err.message, requestId, err.details), err.status as ContentfulStatusCode);
    }
    if (err instanceof HTTPException) {
      const code: ErrorCode =
        err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : err.status === 404 ? 'not_found' : 'bad_request';
      return c.json(errorBody(code, err.message || code, requestId), err.status as ContentfulStatusCode);
    }
    log.error({ request_id: requestId, err: err.message, stack: err.stack }, 'unhandled error');
    return c.json(errorBody('internal', 'internal error', requestId), 500);
  };
}

import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext } from '../../context.ts';
import type { HttpEnv } from '../env.ts';
import { errorBody } from '../error-body.ts';

/**
 * Refuses a request body over `config.http.maxBodyBytes` with 413 before it is read: a declared
 * length is checked up front, and a chunked body is counted as it streams and cut off at the
 * limit, so a 200 MB review note never sits in memory. Runs before the key check, which costs
 * a database read.
 */
export function apiBodyLimit(ctx: AppContext): MiddlewareHandler<HttpEnv> {
  const maxSize = ctx.config.http.maxBodyBytes;
  return bodyLimit({
    maxSize,
    onError: (c) => c.json(errorBody('payload_too_large', `body exceeds ${maxSize} bytes`, c.get('requestId')), 413),
  });
}

import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { HttpEnv } from '../env.ts';

/**
 * One JSON log line and one metrics sample per request. Logs carry the request id, route,
 * status and duration, never bodies: post text must not reach logs.
 */
export function observeRequests(log: Logger, metrics: Metrics): MiddlewareHandler<HttpEnv> {
  return async function observe(c, next) {
    const started = performance.now();
    await next();
    // The last matched pattern is the handler's (/v1/forums/:forumId/posts); only this
    // middleware's '*' matched when no route did.
    const matched = routePath(c, -1);
    const route = matched === '*' || matched === '/*' ? 'unmatched' : matched;
    const seconds = (performance.now() - started) / 1000;
    const status = String(c.res.status);
    metrics.httpRequests.inc({ route, method: c.req.method, status });
    metrics.httpDuration.observe({ route, method: c.req.method }, seconds);
    log.info(
      { request_id: c.get('requestId'), method: c.req.method, route, status: c.res.status, duration_ms: Math.round(seconds * 1000) },
      'request',
    );
  };
}

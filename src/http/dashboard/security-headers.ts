import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { DashboardEnv } from './env.ts';

/**
 * Every dashboard answer gets a fresh script nonce and a Content-Security-Policy that allows
 * only that nonce's script (no other inline script, no script file, no eval), styles and
 * images from Hearth alone, forms posting back to Hearth, and no framing. Nothing may load
 * from another host, so the pages work with the network cut and leak nothing to third parties.
 */
export function dashboardSecurityHeaders(): MiddlewareHandler<DashboardEnv> {
  return async function setSecurityHeaders(c, next) {
    const nonce = randomBytes(16).toString('base64');
    c.set('nonce', nonce);
    await next();
    c.header(
      'content-security-policy',
      [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
    c.header('x-frame-options', 'DENY');
    // Pages hold post text and figures for one signed-in person: never cached.
    if (!c.req.path.startsWith('/dashboard/assets/')) c.header('cache-control', 'no-store');
  };
}

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { HttpEnv } from '../env.ts';

/** Where the pages load the API reference from: Hearth itself, never a CDN. */
export const DOCS_ASSETS = {
  bundle: '/docs/assets/standalone.js',
  bootstrap: '/docs/assets/init.js',
} as const;

// The package exports no path to its browser bundle, so it is found beside its entry point.
const bundlePath = () => join(dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')), 'browser', 'standalone.js');

/**
 * Options of the API reference: it reads Hearth's own OpenAPI document, loads no web fonts,
 * sends no telemetry and offers none of its vendor's hosted features (AI agent, MCP), all of
 * which would reach other hosts; the CSP below would refuse them anyway.
 */
const referenceOptions = {
  url: '/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: 'never',
};

// No inline script, so the policy needs no 'unsafe-inline' for scripts: the bootstrap is a file too.
const bootstrap = `Scalar.createApiReference('#app', ${JSON.stringify(referenceOptions)});\n`;

/**
 * Only this origin, for scripts (no inline script at all), the OpenAPI document, the
 * reference's own requests, images and fonts. Styles may be inline: the reference's
 * components write their theme, toasts and widths as <style> elements and attributes that a
 * nonce cannot reach. CSS runs no code, and with img-src and font-src held to this origin
 * it cannot send anything to another host either.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Hearth API</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="${DOCS_ASSETS.bundle}"></script>
    <script src="${DOCS_ASSETS.bootstrap}"></script>
  </body>
</html>
`;

/**
 * `/docs`: the API reference, served entirely by Hearth (the script from the npm package) under
 * a Content-Security-Policy, so it renders with no network access and puts no third-party
 * script on the admin surface. The bundle is read on first request, not when the app is built.
 */
export function docsRoutes() {
  const app = new Hono<HttpEnv>();
  let bundle: Promise<Buffer> | undefined;

  app.get('/docs', (c) => {
    c.header('content-security-policy', CONTENT_SECURITY_POLICY);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    c.header('cache-control', 'no-store');
    return c.html(PAGE);
  });

  app.get(DOCS_ASSETS.bundle, async (c) => {
    bundle ??= readFile(bundlePath()).catch((err: unknown) => {
      bundle = undefined;
      throw err;
    });
    const body = await bundle;
    return c.body(new Uint8Array(body), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=3600',
    });
  });

  app.get(DOCS_ASSETS.bootstrap, (c) =>
    c.body(bootstrap, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    }),
  );

  return app;
}

import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import type { DashboardEnv } from './env.ts';

const ASSETS = {
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
} as const;

/**
 * The dashboard's stylesheet and its one script, served by Hearth from files beside this one
 * (nothing from another host). Read on first request, then kept.
 */
export function assetRoutes() {
  const app = new Hono<DashboardEnv>();
  const cache = new Map<string, Promise<Buffer>>();
  // Revalidated on every use (a 304 when unchanged), so a new release's style and script apply at once.
  app.use('*', etag());
  app.get('/:name', async (c) => {
    const name = c.req.param('name');
    if (!Object.hasOwn(ASSETS, name)) return c.text('no such asset', 404);
    let body = cache.get(name);
    if (!body) {
      body = readFile(new URL(`./assets/${name}`, import.meta.url));
      cache.set(name, body);
      body.catch(() => cache.delete(name));
    }
    return c.body(new Uint8Array(await body), 200, {
      'content-type': ASSETS[name as keyof typeof ASSETS],
      'cache-control': 'no-cache',
    });
  });
  return app;
}

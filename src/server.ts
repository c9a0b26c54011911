import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** Starts an HTTP server and resolves once it listens, with the port actually bound. */
export function listen(app: Pick<Hono, 'fetch'>, port: number, host: string): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => resolve({ server, port: info.port }));
    server.once('error', reject);
  });
}

/** Stops accepting connections and waits (bounded) for open requests to finish. */
export function closeServer(server: ServerType, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      resolve();
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}

import { Hono } from 'hono';
import { startWorkers } from '../workers/index.ts';
import { loadConfig } from './config/config.ts';
import { createContext } from './context.ts';
import { createApp } from './http/app.ts';
import { followPublications } from './policies/active-policies.ts';
import { closeServer, listen } from './server.ts';

/**
 * The composition root. `npm start` runs the API and the workers in one process;
 * `start:api` and `start:workers` run one role each, so operators can scale them apart.
 */
type Role = 'all' | 'api' | 'workers';

async function main(role: Role): Promise<void> {
  const config = loadConfig();
  const ctx = await createContext(config);
  const { log } = ctx;
  const stops: Array<() => Promise<void>> = [];

  if (role === 'all' || role === 'api') {
    const { server, port } = await listen(createApp(ctx), config.http.port, config.http.host);
    log.info({ port, policy_set_version: ctx.policySet.version }, 'api listening');
    stops.push(() => closeServer(server, config.shutdownTimeoutMs));
    // The crisis check at ingest follows `hearth publish` like the workers (which follow it
    // themselves when they share this process).
    if (role === 'api') {
      const stopFollowing = followPublications(ctx.policies, ctx.database.db, config.policyRefreshMs, log);
      stops.push(async () => stopFollowing());
    }
  }
  if (role === 'all' || role === 'workers') {
    const workers = await startWorkers(ctx);
    stops.push(() => workers.close());
    if (role === 'workers' && config.workers.metricsPort > 0) {
      // A worker-only process still exposes its own counters (decisions, deliveries, jobs).
      const ops = new Hono()
        .get('/healthz', (c) => c.json({ status: 'ok' }))
        .get('/metrics', async (c) =>
          c.text(await ctx.metrics.registry.metrics(), 200, { 'content-type': ctx.metrics.registry.contentType }),
        );
      const { server, port } = await listen(ops, config.workers.metricsPort, config.http.host);
      log.info({ port }, 'worker metrics listening');
      stops.push(() => closeServer(server, 1000));
    }
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new work, finishing active jobs');
    // The HTTP server stops first so no new posts arrive while workers drain.
    for (const stop of stops) await stop().catch((err: Error) => log.error({ err: err.message }, 'error while stopping'));
    await ctx.close().catch((err: Error) => log.error({ err: err.message }, 'error while closing connections'));
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

const role = (process.argv[2] ?? 'all') as Role;
if (!['all', 'api', 'workers'].includes(role)) {
  console.error(`unknown role "${role}": use all, api or workers`);
  process.exit(2);
}
main(role).catch((err: Error) => {
  console.error(JSON.stringify({ level: 'fatal', msg: 'start-up failed', err: err.message }));
  process.exit(1);
});

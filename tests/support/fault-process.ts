// A Hearth process for the fault suite, started with a test's config rather than the
// environment: argv[2] is "api" or "workers", argv[3] the Config as JSON. It prints
// "LISTENING <port>" (api) or "READY" (workers) once it serves, and is stopped with SIGKILL.
import type { Config } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { listen } from '../../src/server.ts';
import { startWorkers } from '../../workers/index.ts';

const role = process.argv[2];
const config = JSON.parse(process.argv[3] ?? '{}') as Config;
const ctx = await createContext(config, { skipMigrations: true, log: createLogger('warn') });
if (role === 'api') {
  const { port } = await listen(createApp(ctx), 0, '127.0.0.1');
  process.stdout.write(`LISTENING ${port}\n`);
} else {
  await startWorkers(ctx);
  process.stdout.write('READY\n');
}

// A worker process that the crash tests kill with SIGKILL in the middle of a job.
// argv[2]: JSON { config, stage } where stage says where the job hangs:
//   "start"            before anything is stored,
//   "after-commit"     after the decision transaction committed, before its delivery is queued.
import type { Config } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startWorkers } from '../../workers/index.ts';
import { createModerateProcessor } from '../../workers/moderate.ts';

const { config, stage } = JSON.parse(process.argv[2] ?? '{}') as { config: Config; stage: 'start' | 'after-commit' };
const ctx = await createContext(config, { skipMigrations: true, log: createLogger('silent') });
const hang = () => new Promise<never>(() => {});
const announce = (jobId: string | undefined) => process.stdout.write(`ACTIVE ${jobId}\n`);

if (stage === 'after-commit') {
  // The delivery enqueue is the first thing after the commit: hang there.
  ctx.queues.deliver.add = (async () => {
    announce('after-commit');
    return hang();
  }) as typeof ctx.queues.deliver.add;
}
const real = createModerateProcessor(ctx);
await startWorkers(ctx, {
  queues: ['moderate'],
  moderateProcessor: async (job) => {
    if (stage === 'start') {
      announce(job.id);
      return hang();
    }
    return real(job);
  },
});
process.stdout.write('READY\n');

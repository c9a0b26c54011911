/**
 * The worker-drain benchmark's baseline: a BullMQ worker that does nothing with each job,
 * at the concurrency given, on the queue given. Runs as its own process like Hearth's workers.
 */
import { Worker } from 'bullmq';

const [queueName = 'moderate', prefix = 'hearth-bench-noop', concurrency = '8', redisUrl = 'redis://127.0.0.1:6379'] =
  process.argv.slice(2);
const url = new URL(redisUrl);
const worker = new Worker(queueName, async () => null, {
  connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
  prefix,
  concurrency: Number(concurrency),
  removeOnComplete: { count: 0 },
});
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));

/**
 * The ingest benchmark's baselines, run as their own process like the service:
 * `bare` answers 202 after reading the body; `bullmq` also parses it and adds it to a raw
 * BullMQ queue with the same finished-job trimming Hearth uses. Prints the port when listening.
 */
import { serve } from '@hono/node-server';
import { Queue } from 'bullmq';
import { Hono } from 'hono';
import { Redis } from 'ioredis';

const [mode = 'bare', prefix = 'hearth-bench-baseline', redisUrl = 'redis://127.0.0.1:6379'] = process.argv.slice(2);
const app = new Hono();
if (mode === 'bullmq') {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const queue = new Queue('moderate', { connection, prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: true } });
  app.post('/v1/forums/:forum/posts', async (c) => {
    const post = (await c.req.json()) as { id: string };
    const job = await queue.add('moderate', { forumId: c.req.param('forum'), post }, { jobId: `${c.req.param('forum')}-${post.id}` });
    return c.json({ submission_id: job.id, status: 'queued' }, 202);
  });
} else {
  app.post('/v1/forums/:forum/posts', async (c) => {
    await c.req.text();
    return c.json({ submission_id: 'x', status: 'queued' }, 202);
  });
}
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${info.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

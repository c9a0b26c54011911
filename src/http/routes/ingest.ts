import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../../context.ts';
import { findVerdictForSubmission, type VerdictInForce } from '../../decisions/latest-verdict.ts';
import type { VerdictData } from '../../decisions/verdict-payload.ts';
import { AppError } from '../../errors.ts';
import { enqueuePost } from '../../ingest/enqueue-post.ts';
import type { Lane } from '../../jobs/payloads.ts';
import { postSchema } from '../../jobs/payloads.ts';
import { verify } from '../../webhooks/standard-webhooks.ts';
import type { HttpEnv } from '../env.ts';
import { errorBodySchema } from '../error-body.ts';
import { forumForIngest, ingestBodyLimit, ingestDeps } from '../forum-ingest.ts';
import { takeIngestRate } from '../rate-limit.ts';
import { acceptedSchema, forumParams, signatureHeaders, verdictInForceSchema, waitQuery } from '../schemas.ts';

const examplePost = {
  id: 'post-8841',
  author: { id: 'u-9', name: 'Sam' },
  thread_id: 'thread-112',
  body: 'I take 300 mg gabapentin and the brain fog is awful.',
  format: 'text',
  created_at: '2026-11-20T09:14:01Z',
};

const signatureProblems = {
  missing_headers: 'webhook-id, webhook-timestamp and webhook-signature headers are required',
  bad_timestamp: 'webhook-timestamp must be Unix seconds',
  stale_timestamp: 'webhook-timestamp is more than 5 minutes from now',
  bad_signature: 'webhook-signature does not match the body',
} as const;

/**
 * The forum-facing ingest endpoint. Order matters: size, forum, signature, then parsing, so an
 * unsigned request learns nothing about validation and queues nothing. No PostgreSQL on the
 * hot path beyond the cached forum lookup; the post goes straight to Redis.
 */
export function ingestRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<HttpEnv>();
  const errors = { content: { 'application/json': { schema: errorBodySchema } } };
  // Documented from the same zod schemas that validate below; validation is done by hand so
  // the signature is checked on the raw bytes before any parsing.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/forums/{forumId}/posts',
    summary: 'Submit a new or edited post for moderation',
    description:
      'Signed with the forum ingest secret (Standard Webhooks). Idempotent: the same post and content answer with the same submission_id, and a repeated webhook-id gets its first answer back.',
    tags: ['ingest'],
    request: {
      params: forumParams,
      query: waitQuery,
      headers: signatureHeaders,
      body: { required: true, content: { 'application/json': { schema: postSchema, example: examplePost } } },
    },
    responses: {
      200: {
        description:
          "The verdict in force, when `wait` was given and it was ready in time: as the verdict route answers it, so a replayed request after a moderator's review gets the review's action",
        content: { 'application/json': { schema: verdictInForceSchema } },
      },
      202: { description: 'Queued for moderation', content: { 'application/json': { schema: acceptedSchema } } },
      400: { description: 'Malformed JSON, missing, mistyped or unknown fields', ...errors },
      401: { description: 'Missing, wrong or stale signature', ...errors },
      404: { description: 'Unknown forum', ...errors },
      409: { description: 'webhook-id reused for a different body', ...errors },
      413: { description: 'Body larger than 64 KiB', ...errors },
      429: { description: "Over the forum's ingest rate (HEARTH_INGEST_RATE_PER_MINUTE); Retry-After says when to retry", ...errors },
      503: { description: 'Queue unavailable; retry later', ...errors },
    },
  });

  app.post('/v1/forums/:forumId/posts', ingestBodyLimit(ctx), async (c) => {
    const receivedAt = new Date();
    const query = waitQuery.safeParse(c.req.query());
    if (!query.success) throw new AppError('validation_failed', 'wait must be an integer from 0 to 10000 (milliseconds)');
    const forumId = c.req.param('forumId');
    const forum = await forumForIngest(ctx, forumId);

    const rawBody = await c.req.text();
    const webhookId = c.req.header('webhook-id');
    const failure = verify(
      forum.ingestSecret,
      { id: webhookId, timestamp: c.req.header('webhook-timestamp'), signature: c.req.header('webhook-signature') },
      rawBody,
    );
    if (failure || !webhookId) throw new AppError('invalid_signature', signatureProblems[failure ?? 'missing_headers']);
    // Counted once signed: a stranger cannot spend a forum's allowance.
    await takeIngestRate(ctx, forumId);

    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      throw new AppError('invalid_json', 'body is not valid JSON');
    }
    const post = postSchema.safeParse(json);
    if (!post.success) {
      const details = post.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new AppError('validation_failed', `invalid post: ${details.map((d) => `${d.path || '(body)'}: ${d.message}`).join('; ')}`, {
        details,
      });
    }

    const { accepted, job, lane } = await enqueuePost(ingestDeps(ctx), forumId, post.data, { webhookId, rawBody, receivedAt });
    const waitMs = query.data.wait ?? 0;
    if (waitMs > 0) {
      const verdict = await waitForVerdict(ctx, accepted.submission_id, lane, job?.id ? job : undefined, waitMs);
      if (verdict) return c.json(verdict, 200);
    }
    return c.json(accepted, 202);
  });
  return app;
}

/** The verdict if it is ready within `ms`, else undefined: the caller then answers 202. */
async function waitForVerdict(
  ctx: AppContext,
  submissionId: string,
  lane: Lane,
  job: { waitUntilFinished(events: ReturnType<AppContext['moderateEvents']>, ttl?: number): Promise<VerdictData> } | undefined,
  ms: number,
): Promise<VerdictInForce | undefined> {
  try {
    const live = job ?? (await (lane === 'urgent' ? ctx.queues.moderateUrgent : ctx.queues.moderate).getJob(submissionId));
    // The job's own answer is what was decided; a moderator may have reviewed it since (a
    // replayed request, or a job kept after it finished), so the stored verdict in force answers.
    if (live) {
      const events = ctx.moderateEvents(lane);
      // Opened on first use: its connection must be reading before the job can finish unheard.
      await events.waitUntilReady();
      await live.waitUntilFinished(events, ms);
    }
    return await findVerdictForSubmission(ctx.database.db, submissionId);
  } catch (err) {
    ctx.log.debug({ submission_id: submissionId, err: (err as Error).message }, 'no verdict within wait');
    // A completion event can still go unheard (the listener's first read started just after the
    // job finished): a verdict stored meanwhile answers all the same, rather than a 202.
    return await findVerdictForSubmission(ctx.database.db, submissionId).catch(() => undefined);
  }
}

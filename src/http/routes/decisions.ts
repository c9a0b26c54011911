import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { scopeOf } from '../../auth/api-keys.ts';
import type { AppContext } from '../../context.ts';
import { getDecisionDetail, reviewView } from '../../decisions/decision-detail.ts';
import { listDecisions } from '../../decisions/list-decisions.ts';
import { queueCommittedDelivery } from '../../deliveries/queue-delivery.ts';
import { openThreadAlerts } from '../../members/thread-alerts.ts';
import { claimDecision, releaseClaim } from '../../reviews/claim-decision.ts';
import { recordReview } from '../../reviews/record-review.ts';
import { oldestUrgentAge, reviewQueue } from '../../reviews/review-queue.ts';
import {
  claimSchema,
  decisionDetailSchema,
  decisionPageSchema,
  decisionParams,
  decisionsQuery,
  recordedReviewSchema,
  reviewInputSchema,
  reviewQueueQuery,
} from '../dashboard-schemas.ts';
import type { HttpEnv } from '../env.ts';
import { conflictError, json, keyed, keyedErrors, keyOf, reviewerOf } from '../keyed-route.ts';
import { reviewQueueWithThreadsSchema } from '../member-schemas.ts';

/** Decisions, the review queue, claims and reviews: the moderator's side of the dashboard API. */
export function decisionRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<HttpEnv>();
  const readers = keyed(ctx, ['admin', 'moderator', 'auditor']);
  const reviewers = keyed(ctx, ['admin', 'moderator']);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/decisions',
      summary: 'Decisions, newest first, filtered and paged',
      tags: ['decisions'],
      ...readers,
      request: { query: decisionsQuery },
      responses: { 200: { description: 'A page of decisions', ...json(decisionPageSchema) }, ...keyedErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listDecisions(
        ctx.database.db,
        scopeOf(keyOf(c.get('apiKey'))),
        {
          forumId: q.forum_id,
          action: q.action,
          policy: q.policy,
          urgent: q.urgent,
          reviewed: q.reviewed,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
          minScore: q.min_score,
        },
        { limit: q.limit, cursor: q.cursor },
      );
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/decisions/{id}',
      summary: 'One decision: post text, scores and evidence, deliveries, reviews and the audit trail of the post',
      description: 'Auditor keys see the text with e-mail addresses, phone numbers and street addresses masked.',
      tags: ['decisions'],
      ...readers,
      request: { params: decisionParams },
      responses: { 200: { description: 'The decision', ...json(decisionDetailSchema) }, ...keyedErrors },
    }),
    async (c) => {
      const key = keyOf(c.get('apiKey'));
      const detail = await getDecisionDetail(ctx.database.db, scopeOf(key), c.req.valid('param').id, { mask: key.role === 'auditor' });
      return c.json(detail, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/review-queue',
      summary: 'Decisions awaiting a moderator: urgent first, then oldest',
      description:
        'The newest decision of each post that was sent to review, held, or marked urgent, and that no one has reviewed. Decisions another moderator has claimed are left out unless include_claimed=true. `threads` lists open thread alerts (a pile-on, or a high share of flagged posts) on the first page: each tense thread is one item, and its decisions (other than urgent ones) are not listed again in `items`.',
      tags: ['reviews'],
      ...readers,
      request: { query: reviewQueueQuery },
      responses: { 200: { description: 'A page of the queue', ...json(reviewQueueWithThreadsSchema) }, ...keyedErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const key = keyOf(c.get('apiKey'));
      const page = await reviewQueue(ctx.database.db, scopeOf(key), {
        forumId: q.forum_id,
        keyId: key.id,
        includeClaimed: q.include_claimed ?? false,
        limit: q.limit,
        cursor: q.cursor,
        groupThreads: true,
      });
      // A tense thread is one item, on the first page only (the alerts are few and not paged).
      const threads = q.cursor ? [] : await openThreadAlerts(ctx.database.db, scopeOf(key), q.forum_id);
      const oldestUrgent = await oldestUrgentAge(ctx.database.db, scopeOf(key), q.forum_id);
      return c.json({ ...page, threads, oldest_urgent_age_seconds: oldestUrgent }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/decisions/{id}/claim',
      summary: 'Claim a decision for a few minutes so no one else reviews it meanwhile',
      description: "Claiming again extends one's own claim. A live claim by someone else is 409, naming its holder.",
      tags: ['reviews'],
      ...reviewers,
      request: { params: decisionParams },
      responses: { 200: { description: 'The claim', ...json(claimSchema) }, ...keyedErrors, ...conflictError },
    }),
    async (c) => {
      const key = keyOf(c.get('apiKey'));
      const claim = await claimDecision(ctx.database.db, scopeOf(key), c.req.valid('param').id, reviewerOf(key), ctx.config.review.claimMs);
      return c.json(claim, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/decisions/{id}/claim',
      summary: "Give up one's claim on a decision",
      tags: ['reviews'],
      ...reviewers,
      request: { params: decisionParams },
      responses: { 204: { description: 'Released (or there was nothing to release)' }, ...keyedErrors },
    }),
    async (c) => {
      const key = keyOf(c.get('apiKey'));
      await releaseClaim(ctx.database.db, scopeOf(key), c.req.valid('param').id, reviewerOf(key));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/decisions/{id}/reviews',
      summary: 'Confirm or override a decision',
      description:
        'Records who reviewed it, when and why, as an audit event. `labels` are the policies that truly apply: the tuning CLI learns from them. An override needs them; a confirm without them keeps the labels in force (the newest review’s, else the policies the decision flagged). An override sends a verdict.updated callback to the forum.',
      tags: ['reviews'],
      ...reviewers,
      request: { params: decisionParams, body: { required: true, ...json(reviewInputSchema) } },
      responses: { 201: { description: 'The review', ...json(recordedReviewSchema) }, ...keyedErrors, ...conflictError },
    }),
    async (c) => {
      const key = keyOf(c.get('apiKey'));
      const { review, deliveryId } = await recordReview(
        ctx.database.db,
        scopeOf(key),
        c.req.valid('param').id,
        c.req.valid('json'),
        reviewerOf(key),
      );
      if (deliveryId) await queueCommittedDelivery(ctx.queues, ctx.log, deliveryId, 'verdict.updated');
      return c.json({ review: reviewView(review), delivery_id: deliveryId }, 201);
    },
  );

  return app;
}

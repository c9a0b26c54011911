import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import type { AppContext } from '../context.ts';
import { dashboardRoutes } from './dashboard/routes.tsx';
import type { HttpEnv } from './env.ts';
import { errorBody } from './error-body.ts';
import { createErrorHandler } from './error-handler.ts';
import { threadAlertCallbackSchema, urgentAlertCallbackSchema } from './member-schemas.ts';
import { observeRequests } from './middleware/observe-requests.ts';
import { adminRoutes } from './routes/admin.ts';
import { auditRoutes, checkpointCallbackSchema } from './routes/audit-events.ts';
import { decisionRoutes } from './routes/decisions.ts';
import { docsRoutes } from './routes/docs.ts';
import { engineHookRoutes } from './routes/engine-hooks.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { memberRoutes } from './routes/members.ts';
import { operationsRoutes } from './routes/operations.ts';
import { statsRoutes } from './routes/stats.ts';
import { verdictRoutes } from './routes/verdicts.ts';
import { callbackSchema, updatedCallbackSchema } from './schemas.ts';

/** Builds the whole HTTP API over a context; no I/O happens until a request arrives. */
export function createApp(ctx: AppContext) {
  const app = new OpenAPIHono<HttpEnv>({
    // zod validation failures from `app.openapi` routes use the one error shape.
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        return c.json(
          errorBody(
            'validation_failed',
            `invalid request: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
            c.get('requestId'),
            details,
          ),
          400,
        );
      }
    },
  });
  app.use('*', requestId());
  app.use('*', observeRequests(ctx.log, ctx.metrics));
  app.onError(createErrorHandler(ctx.log));
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`, c.get('requestId')), 404));

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'Hearth API key, hk_…',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'forumSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'webhook-signature',
    description: 'Standard Webhooks signature with the forum ingest secret (with webhook-id and webhook-timestamp)',
  });

  app.openAPIRegistry.registerWebhook({
    method: 'post',
    path: 'verdict.created',
    summary: "Sent to the forum's callback URL when a verdict is stored, signed with the callback secret",
    request: { body: { content: { 'application/json': { schema: callbackSchema } } } },
    responses: { 200: { description: 'Any 2xx acknowledges; 410 disables the callback; anything else is retried with backoff' } },
  });
  app.openAPIRegistry.registerWebhook({
    method: 'post',
    path: 'verdict.updated',
    summary: 'Sent when a moderator overrides a verdict: the new action, the previous one and the review',
    request: { body: { content: { 'application/json': { schema: updatedCallbackSchema } } } },
    responses: { 200: { description: 'As for verdict.created' } },
  });
  app.openAPIRegistry.registerWebhook({
    method: 'post',
    path: 'thread.alert',
    summary: 'Sent once when a thread turns tense (a pile-on on one member, or a high share of flagged posts); see ForumRemedies',
    request: { body: { content: { 'application/json': { schema: threadAlertCallbackSchema } } } },
    responses: { 200: { description: 'As for verdict.created' } },
  });
  app.openAPIRegistry.registerWebhook({
    method: 'post',
    path: 'alert.urgent',
    summary: 'Sent at once for an urgent verdict, on the crisis lane ahead of any delivery backlog: get a human to the member now',
    request: { body: { content: { 'application/json': { schema: urgentAlertCallbackSchema } } } },
    responses: { 200: { description: 'As for verdict.created' } },
  });

  app.openAPIRegistry.registerWebhook({
    method: 'post',
    path: 'audit.checkpoint',
    summary:
      "Sent at most every HEARTH_AUDIT_CHECKPOINT_SECONDS while the forum has activity (with HEARTH_AUDIT_KEY set): the forum's audit chain head, signed with Hearth's Ed25519 key. Keep it: a later verify against it detects deleted or rewritten events",
    request: { body: { content: { 'application/json': { schema: checkpointCallbackSchema } } } },
    responses: { 200: { description: 'Any 2xx acknowledges; anything else is retried with backoff' } },
  });

  app.route('/', operationsRoutes(ctx));
  app.route('/', ingestRoutes(ctx));
  app.route('/', engineHookRoutes(ctx));
  app.route('/', verdictRoutes(ctx));
  app.route('/', decisionRoutes(ctx));
  app.route('/', auditRoutes(ctx));
  app.route('/', statsRoutes(ctx));
  app.route('/', adminRoutes(ctx));
  app.route('/', memberRoutes(ctx));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Hearth',
      version: '0.1.0',
      description: 'Moderation for online health support communities. Callbacks to forums use the VerdictCallback schema.',
    },
  });
  app.route('/', docsRoutes());
  app.route('/dashboard', dashboardRoutes(ctx));
  return app;
}

export type App = ReturnType<typeof createApp>;

import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../../context.ts';
import { verdictInForce } from '../../decisions/latest-verdict.ts';
import { AppError } from '../../errors.ts';
import type { HttpEnv } from '../env.ts';
import { errorBodySchema } from '../error-body.ts';
import { forumReaderAuth } from '../middleware/forum-reader-auth.ts';
import { postParams, verdictInForceSchema } from '../schemas.ts';

const errors = { content: { 'application/json': { schema: errorBodySchema } } };

const getVerdict = createRoute({
  method: 'get',
  path: '/v1/forums/{forumId}/posts/{postId}/verdict',
  summary: "The verdict in force for a post's newest revision",
  description:
    "`action` is the action in force: a moderator's newest review's, else Hearth's. `decided_action` is what Hearth decided and `review` the newest review (null when none).",
  tags: ['verdicts'],
  security: [{ apiKey: [] }, { forumSignature: [] }] as Array<Record<string, string[]>>,
  request: { params: postParams },
  responses: {
    200: { description: 'The verdict in force', content: { 'application/json': { schema: verdictInForceSchema } } },
    401: { description: 'No or invalid credentials', ...errors },
    403: { description: 'An auditor key (auditors read decisions, with contact details masked)', ...errors },
    404: { description: 'No verdict for this post (yet), or the key may not see this forum', ...errors },
  },
});

export function verdictRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<HttpEnv>();
  app.use('/v1/forums/:forumId/posts/:postId/verdict', forumReaderAuth(ctx));
  app.openapi(getVerdict, async (c) => {
    const { forumId, postId } = c.req.valid('param');
    const verdict = await verdictInForce(ctx.database.db, forumId, postId);
    if (!verdict) throw new AppError('not_found', `no verdict for post ${postId} in forum ${forumId}`);
    return c.json(verdict, 200);
  });
  return app;
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys.ts';
import type { AppContext } from '../../context.ts';
import { apiKeyRoles } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { forumIdSchema, getForum, listForums, updateForum } from '../../forums/forums.ts';
import { durationHint, parseDuration } from '../../time/parse-duration.ts';
import { AdminPage } from './admin-page.tsx';
import type { DashboardEnv } from './env.ts';
import { render } from './render.tsx';
import { optional } from './scope.ts';
import { checkCsrf, requireRole, signedInOf } from './session.ts';

const createKeyForm = z.object({
  role: z.enum(apiKeyRoles),
  forums: z.string().max(2000).default(''),
  name: optional(z.string().trim().min(1).max(100)),
  expires_in: optional(z.string().refine((v) => parseDuration(v) !== undefined, { message: `use ${durationHint}` })),
});

const forumForm = z.object({
  name: z.string().trim().min(1).max(200),
  callback_url: z.string().trim().max(2000).default(''),
  retention_days: optional(z.coerce.number().int().min(1).max(3650)),
  llm: z.literal('on').optional(),
  enable_callback: z.literal('1').optional(),
});

function formError(error: z.ZodError): AppError {
  return new AppError('validation_failed', error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; '));
}

/** Admin pages: API keys (create, revoke) and each forum's settings. Admin keys only. */
export function adminRoutes(ctx: AppContext) {
  const app = new Hono<DashboardEnv>();
  const adminsOnly: MiddlewareHandler<DashboardEnv> = async (c, next) => {
    requireRole(signedInOf(c), ['admin']);
    return next();
  };
  app.use('/admin', adminsOnly);
  app.use('/admin/*', adminsOnly);

  const show = async (c: Context<DashboardEnv>, extra: { created?: Awaited<ReturnType<typeof createApiKey>>; flash?: string } = {}) => {
    const [keys, forums] = await Promise.all([listApiKeys(ctx.database.db), listForums(ctx.database.db)]);
    return render(c, <AdminPage nonce={c.get('nonce')} signedIn={signedInOf(c)} keys={keys} forums={forums} {...extra} />);
  };

  app.get('/admin', (c) => show(c, { flash: c.req.query('saved') ? `Saved ${c.req.query('saved')}.` : undefined }));

  app.post('/admin/keys', async (c) => {
    const form = await c.req.parseBody();
    checkCsrf(signedInOf(c), form);
    const parsed = createKeyForm.safeParse(form);
    if (!parsed.success) throw formError(parsed.error);
    const ms = parsed.data.expires_in ? parseDuration(parsed.data.expires_in) : undefined;
    const forumIds = parsed.data.forums.split(/[\s,]+/).filter(Boolean);
    const created = await createApiKey(ctx.database.db, {
      role: parsed.data.role,
      forumIds,
      name: parsed.data.name,
      expiresAt: ms ? new Date(Date.now() + ms) : undefined,
    });
    // The one answer that carries the key: never cached (the security headers say no-store).
    return show(c, { created });
  });

  app.post('/admin/keys/:id/revoke', async (c) => {
    checkCsrf(signedInOf(c), await c.req.parseBody());
    const id = z.uuid().safeParse(c.req.param('id'));
    const revoked = id.success ? await revokeApiKey(ctx.database.db, id.data) : undefined;
    if (!revoked) throw new AppError('not_found', 'no such API key');
    return c.redirect(`/dashboard/admin?saved=${encodeURIComponent(`revocation of ${revoked.keyPrefix}`)}`, 303);
  });

  app.post('/admin/forums/:forumId', async (c) => {
    const who = signedInOf(c);
    const form = await c.req.parseBody();
    checkCsrf(who, form);
    const forumId = forumIdSchema.safeParse(c.req.param('forumId'));
    const forum = forumId.success ? await getForum(ctx.database.db, forumId.data) : undefined;
    if (!forum) throw new AppError('not_found', 'no such forum');
    const parsed = forumForm.safeParse(form);
    if (!parsed.success) throw formError(parsed.error);
    const callbackUrl = parsed.data.callback_url || null;
    await updateForum(
      ctx.database.db,
      forum.id,
      {
        name: parsed.data.name,
        // Only a changed URL is sent: setting one also re-enables a disabled callback.
        callbackUrl: callbackUrl === forum.callbackUrl ? undefined : callbackUrl,
        enableCallback: parsed.data.enable_callback === '1' || undefined,
        retentionDays: parsed.data.retention_days ?? null,
        llmSettings: { enabled: parsed.data.llm === 'on' },
      },
      { allowPrivate: ctx.config.callbacks.allowPrivate, actor: `key:${who.key.id}` },
    );
    ctx.forums.invalidate(forum.id);
    return c.redirect(`/dashboard/admin?saved=${encodeURIComponent(forum.id)}`, 303);
  });

  return app;
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { endSession, findSession, randomToken, startSession, tokensMatch } from '../../auth/dashboard-sessions.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { adminRoutes } from './admin-routes.tsx';
import { assetRoutes } from './assets.ts';
import type { DashboardEnv } from './env.ts';
import { insightRoutes } from './insight-routes.tsx';
import { dashboardErrorHandler, render } from './render.tsx';
import { reviewRoutes } from './review-routes.tsx';
import { dashboardSecurityHeaders } from './security-headers.ts';
import {
  checkCsrf,
  clearDashboardCookie,
  requireSession,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  sessionToken,
  setDashboardCookie,
  signedInOf,
} from './session.ts';
import { SignInPage } from './sign-in-page.tsx';

/**
 * `/dashboard`: the moderators' web pages, rendered on the server with Hono's JSX (no build
 * step, no client framework: each page is one HTML answer, fast on a phone) and one small
 * script for keyboard shortcuts, allowed by a per-answer CSP nonce. Sessions come from
 * exchanging an API key at the sign-in form; pages call the same services as the API.
 */
export function dashboardRoutes(ctx: AppContext) {
  const app = new Hono<DashboardEnv>();
  app.onError(dashboardErrorHandler(ctx.log));
  app.use('*', dashboardSecurityHeaders());
  app.route('/assets', assetRoutes());

  app.get('/', async (c) => {
    const token = sessionToken(c);
    if (token && (await findSession(ctx.database.db, token))) return c.redirect('/dashboard/queue', 303);
    const csrf = randomToken();
    setDashboardCookie(c, SIGN_IN_COOKIE, csrf);
    const notice = c.req.query('signed_out') ? 'You are signed out. Sign in again to continue.' : undefined;
    return render(c, <SignInPage nonce={c.get('nonce')} csrf={csrf} notice={notice} />);
  });

  app.post('/', async (c) => {
    const form = await c.req.parseBody();
    // Login CSRF: the form's token must match the cookie set with the form (double submit).
    const expected = getCookie(c, SIGN_IN_COOKIE);
    if (!expected || !tokensMatch(typeof form.csrf === 'string' ? form.csrf : undefined, expected)) {
      throw new AppError('forbidden', 'the sign-in form is stale or came from elsewhere; reload it and try again');
    }
    const key = typeof form.key === 'string' ? form.key.trim() : '';
    const started = key ? await startSession(ctx.database.db, key) : undefined;
    if (!started) {
      const csrf = randomToken();
      setDashboardCookie(c, SIGN_IN_COOKIE, csrf);
      return render(c, <SignInPage nonce={c.get('nonce')} csrf={csrf} error="That key is unknown, revoked or expired." />, 401);
    }
    clearDashboardCookie(c, SIGN_IN_COOKIE);
    setDashboardCookie(c, SESSION_COOKIE, started.token);
    ctx.log.info({ key_id: started.signedIn.key.id, session_id: started.signedIn.session.id }, 'dashboard sign-in');
    return c.redirect('/dashboard/queue', 303);
  });

  const signedIn = new Hono<DashboardEnv>();
  signedIn.use('*', requireSession(ctx));

  signedIn.post('/sign-out', async (c) => {
    checkCsrf(signedInOf(c), await c.req.parseBody());
    const token = sessionToken(c);
    if (token) await endSession(ctx.database.db, token);
    clearDashboardCookie(c, SESSION_COOKIE);
    return c.redirect('/dashboard?signed_out=1', 303);
  });

  signedIn.route('/', reviewRoutes(ctx));
  signedIn.route('/', insightRoutes(ctx));
  signedIn.route('/', adminRoutes(ctx));
  // Anything else under /dashboard: a trailing slash is forgiven, the rest is a page-shaped 404.
  signedIn.all('*', (c) => {
    if (c.req.method === 'GET' && c.req.path.length > 1 && c.req.path.endsWith('/')) return c.redirect(c.req.path.replace(/\/+$/, ''), 301);
    throw new AppError('not_found', 'no such page');
  });
  app.route('/', signedIn);
  return app;
}

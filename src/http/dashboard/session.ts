import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { findSession, type SignedIn, tokensMatch } from '../../auth/dashboard-sessions.ts';
import type { AppContext } from '../../context.ts';
import type { ApiKeyRole } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { takeKeyRate } from '../rate-limit.ts';
import type { DashboardEnv } from './env.ts';

export const SESSION_COOKIE = 'hearth_session';
export const SIGN_IN_COOKIE = 'hearth_sign_in';

/** Secure when the browser reached Hearth over HTTPS, directly or through a TLS proxy. */
export function overHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

/** Cookies only scripts cannot read, sent only to the dashboard and never on another site's requests. */
export function setDashboardCookie(c: Context, name: string, value: string): void {
  setCookie(c, name, value, { path: '/dashboard', httpOnly: true, sameSite: 'Strict', secure: overHttps(c) });
}

export function clearDashboardCookie(c: Context, name: string): void {
  deleteCookie(c, name, { path: '/dashboard', httpOnly: true, sameSite: 'Strict', secure: overHttps(c) });
}

export function sessionToken(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/**
 * Finds the browser's session. Pages without one send the browser to the sign-in form; a form
 * posted without one is refused. A cookie whose session ended is cleared.
 */
export function requireSession(ctx: AppContext): MiddlewareHandler<DashboardEnv> {
  return async function loadSession(c, next) {
    const token = sessionToken(c);
    const signedIn = token ? await findSession(ctx.database.db, token) : undefined;
    if (!signedIn) {
      if (token) clearDashboardCookie(c, SESSION_COOKIE);
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect('/dashboard?signed_out=1', 303);
      throw new AppError('unauthorized', 'your session has ended; sign in again');
    }
    // A session is its key at work: pages count against the key's API rate like its API calls.
    await takeKeyRate(ctx, signedIn.key.id);
    c.set('signedIn', signedIn);
    return next();
  };
}

/**
 * Every form of a signed-in page carries the session's CSRF token; a post without it, or with
 * another session's, changes nothing. (SameSite=Strict already keeps the cookie off other
 * sites' requests; this holds even where a browser ignores SameSite.)
 */
export function checkCsrf(signedIn: SignedIn, form: Record<string, unknown>): void {
  const sent = typeof form.csrf === 'string' ? form.csrf : undefined;
  if (!tokensMatch(sent, signedIn.session.csrfToken))
    throw new AppError('forbidden', 'the form is stale or came from elsewhere; reload the page and try again');
}

export function signedInOf(c: Context<DashboardEnv>): SignedIn {
  const signedIn = c.get('signedIn');
  if (!signedIn) throw new AppError('internal', 'dashboard page reached without a session');
  return signedIn;
}

export function requireRole(signedIn: SignedIn, roles: readonly ApiKeyRole[]): void {
  if (!roles.includes(signedIn.key.role)) throw new AppError('forbidden', `a ${signedIn.key.role} may not do this`);
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { SignedIn } from '../../auth/dashboard-sessions.ts';
import { AppError } from '../../errors.ts';
import type { DashboardEnv } from './env.ts';
import { Layout } from './layout.tsx';

/** Sends a page as a whole HTML document. */
export async function render(c: Context<DashboardEnv>, node: unknown, status: ContentfulStatusCode = 200) {
  return c.html(`<!doctype html>${await (node as Promise<string> | string)}`, status);
}

const ErrorPage: FC<{ nonce: string; signedIn?: SignedIn; status: number; message: string }> = ({ nonce, signedIn, status, message }) => (
  <Layout title="Something went wrong" nonce={nonce} signedIn={signedIn}>
    <h1>
      {status === 404
        ? 'Not found'
        : status === 403
          ? 'Not allowed'
          : status === 401
            ? 'Signed out'
            : status === 429
              ? 'Slow down'
              : 'That did not work'}
    </h1>
    <p role="alert">{message}</p>
    <p>{status === 401 ? <a href="/dashboard">Sign in</a> : <a href="/dashboard/queue">Back to the queue</a>}</p>
  </Layout>
);

/**
 * Errors on dashboard pages as pages, in the same words and statuses as the API's JSON errors:
 * another forum's decision is a 404 here too.
 */
export function dashboardErrorHandler(log: { error: (o: object, m: string) => void }) {
  return async function onDashboardError(err: Error, c: Context<DashboardEnv>) {
    const known = err instanceof AppError;
    if (!known) log.error({ request_id: c.get('requestId'), err: err.message, stack: err.stack }, 'unhandled dashboard error');
    const status = (known ? err.status : 500) as ContentfulStatusCode;
    if (known && err.retryAfterSeconds !== undefined) c.header('retry-after', String(err.retryAfterSeconds));
    const message = known && err.status < 500 ? err.message : 'Hearth could not do that just now; try again in a moment.';
    return render(c, <ErrorPage nonce={c.get('nonce') ?? ''} signedIn={c.get('signedIn')} status={status} message={message} />, status);
  };
}

import type { MiddlewareHandler } from 'hono';
import { findActiveKey, touchApiKey } from '../../auth/api-keys.ts';
import type { AppContext } from '../../context.ts';
import type { ApiKeyRole } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import type { HttpEnv } from '../env.ts';
import { takeKeyRate } from '../rate-limit.ts';

/**
 * Requires an active API key (`Authorization: Bearer hk_…`) with one of `roles`. Forum scope is
 * checked further in, by the services, which answer 404 for another forum's data so that a
 * key cannot even learn what exists outside its forums.
 */
export function requireKey(ctx: AppContext, roles: readonly ApiKeyRole[]): MiddlewareHandler<HttpEnv> {
  return async function authenticateKey(c, next) {
    const authorization = c.req.header('authorization');
    if (!authorization) throw new AppError('unauthorized', 'send an API key: Authorization: Bearer hk_…');
    const [scheme, key, extra] = authorization.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !key || extra !== undefined)
      throw new AppError('unauthorized', 'use Authorization: Bearer hk_…');
    const record = await findActiveKey(ctx.database.db, key).catch((err: unknown) => {
      throw new AppError('unavailable', 'could not check the API key; retry later', { cause: err });
    });
    if (!record) throw new AppError('unauthorized', 'unknown, revoked or expired API key');
    await takeKeyRate(ctx, record.id);
    if (!roles.includes(record.role)) {
      throw new AppError('forbidden', `a ${record.role} key may not do this; it needs role ${roles.join(' or ')}`);
    }
    c.set('apiKey', record);
    // Best effort: a failed bookkeeping write must not fail the request.
    await touchApiKey(ctx.database.db, record).catch((err: unknown) =>
      ctx.log.warn({ err: (err as Error).message }, 'could not record key use'),
    );
    return next();
  };
}

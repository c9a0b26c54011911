import type { AppContext } from '../context.ts';
import type { ApiKey, ApiKeyRole } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { Reviewer } from '../reviews/claim-decision.ts';
import { errorBodySchema } from './error-body.ts';
import { apiBodyLimit } from './middleware/api-body-limit.ts';
import { requireKey } from './middleware/require-key.ts';

const errorContent = { content: { 'application/json': { schema: errorBodySchema } } };

/** A JSON body of `schema`, for route requests and responses. */
export const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });

/** The error answers every keyed route can give, in the one error shape. */
export const keyedErrors = {
  400: { description: 'Invalid query, path or body', ...errorContent },
  401: { description: 'No API key, or an unknown, revoked or expired one', ...errorContent },
  403: { description: "The key's role may not do this", ...errorContent },
  404: { description: "Not found, or outside the key's forums", ...errorContent },
  429: { description: "Over the key's request rate (HEARTH_API_RATE_PER_MINUTE); Retry-After says when to retry", ...errorContent },
} as const;

export const conflictError = { 409: { description: 'Conflicts with the current state', ...errorContent } } as const;

/** Route options for an API-key route open to `roles`: the check and its OpenAPI security. */
export function keyed(ctx: AppContext, roles: readonly ApiKeyRole[]) {
  return {
    // The size check first: a huge body is refused before anything else is read or asked.
    middleware: [apiBodyLimit(ctx), requireKey(ctx, roles)],
    security: [{ apiKey: [] }] as Array<Record<string, string[]>>,
  };
}

/** The key the middleware authenticated; its absence is a wiring bug, not a client error. */
export function keyOf(apiKey: ApiKey | undefined): ApiKey {
  if (!apiKey) throw new AppError('internal', 'route reached without an API key');
  return apiKey;
}

export function reviewerOf(key: ApiKey): Reviewer {
  return { keyId: key.id, label: key.name ?? key.keyPrefix };
}

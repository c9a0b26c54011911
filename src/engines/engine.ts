import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { PostInput } from '../jobs/payloads.ts';
import type { PolicyId } from '../moderation/types.ts';

/** What a forum engine's webhook means to Hearth: a post to moderate, or an event to ignore. */
export type EngineEvent =
  | {
      kind: 'post';
      post: PostInput;
      /** Score only these policies (private messages); undefined scores all. */
      onlyPolicies?: PolicyId[];
    }
  | { kind: 'ignored'; reason: string };

// Other settings of an engine are set on a forum that already has its secret.
const missingSecret = (issue: { input: unknown }) =>
  issue.input === undefined ? 'missing: set the webhook secret (12 characters or more) first' : undefined;

/** A forum's settings for engines (forums.integrations). */
export const integrationsSchema = z
  .object({
    discourse: z
      .object({
        secret: z.string({ error: missingSecret }).min(12, 'Discourse requires webhook secrets of at least 12 characters'),
        /** `restrict`: privacy and hostility only (the default); `all`: every policy; `skip`: not moderated. */
        private_messages: z.enum(['restrict', 'all', 'skip']).optional(),
        base_url: z.url().optional(),
        api_key: z.string().min(1).optional(),
        api_username: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    mastodon: z
      .object({ secret: z.string({ error: missingSecret }).min(12, 'Mastodon requires webhook secrets of at least 12 characters') })
      .strict()
      .optional(),
  })
  .strict();
export type Integrations = z.infer<typeof integrationsSchema>;

/**
 * One forum engine's webhooks. Adding an engine is one file implementing this and one line in
 * engines/index.ts.
 */
export interface EngineAdapter {
  readonly name: string;
  /** The forum's secret for this engine, if it has one set. */
  secretOf(integrations: Integrations): string | undefined;
  /** Checks the engine's own signature over the raw body; false when missing or wrong. */
  verify(header: (name: string) => string | undefined, rawBody: string, secret: string): boolean;
  /** Reads a verified, parsed body; throws a message for a body the engine would never send. */
  parse(header: (name: string) => string | undefined, body: unknown, integrations: Integrations): EngineEvent;
}

/** "sha256=<hex of HMAC-SHA256(secret, body)>", the scheme Discourse and Mastodon share. */
export function hmacSha256Matches(signature: string | undefined, secret: string, rawBody: string): boolean {
  if (!signature?.startsWith('sha256=')) return false;
  const given = Buffer.from(signature.slice('sha256='.length).trim().toLowerCase(), 'utf8');
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex'), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

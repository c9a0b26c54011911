import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Signs like a forum would, with the reference `standardwebhooks` package rather than
 * Hearth's own code, so the tests check Hearth against the standard and not against itself.
 */
export function forumHeaders(secret: string, body: string, opts: { id?: string; timestamp?: Date } = {}): Record<string, string> {
  const id = opts.id ?? `msg_${randomUUID()}`;
  const at = opts.timestamp ?? new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

/** Checks a callback's signature with the reference implementation; throws when wrong. */
export function verifyCallback(secret: string, body: string, headers: Record<string, string>): void {
  new Webhook(secret).verify(body, headers);
}

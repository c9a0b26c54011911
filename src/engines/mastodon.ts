import { z } from 'zod';
import { type EngineAdapter, type EngineEvent, hmacSha256Matches } from './engine.ts';

const moderated = new Set(['status.created', 'status.updated']);

const mastodonStatus = z.object({
  id: z.string(),
  content: z.string(),
  spoiler_text: z.string().optional(),
  in_reply_to_id: z.string().nullable().optional(),
  created_at: z.string().optional(),
  visibility: z.string().optional(),
  language: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
  account: z.object({ id: z.string(), username: z.string(), acct: z.string().optional() }),
});

/**
 * Mastodon admin webhooks: `{"event": "status.created", "object": <status>}` signed with
 * `X-Hub-Signature: sha256=…`. Statuses are HTML; a content warning is scored as a title;
 * direct messages are scored for privacy and hostility only.
 */
export const mastodonAdapter: EngineAdapter = {
  name: 'mastodon',
  secretOf: (integrations) => integrations.mastodon?.secret,
  verify: (header, rawBody, secret) => hmacSha256Matches(header('x-hub-signature'), secret, rawBody),
  parse(_header, body): EngineEvent {
    const event = z.object({ event: z.string() }).safeParse(body);
    if (!event.success) throw new Error('a Mastodon webhook body has an "event"');
    if (!moderated.has(event.data.event)) return { kind: 'ignored', reason: `Hearth does not moderate ${event.data.event} events` };
    const parsed = z.object({ object: mastodonStatus }).safeParse(body);
    if (!parsed.success)
      throw new Error(
        `a ${event.data.event} body has a status "object": ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      );
    const s = parsed.data.object;
    if (s.content.trim() === '') return { kind: 'ignored', reason: 'the status has no text' };
    return {
      kind: 'post',
      onlyPolicies: s.visibility === 'direct' ? ['privacy_leak', 'hostility'] : undefined,
      post: {
        id: s.id,
        author: { id: s.account.id, name: s.account.acct ?? s.account.username },
        ...(s.in_reply_to_id ? { reply_to: s.in_reply_to_id } : {}),
        ...(s.spoiler_text ? { title: s.spoiler_text } : {}),
        body: s.content,
        format: 'html',
        ...(s.created_at && !Number.isNaN(Date.parse(s.created_at)) ? { created_at: new Date(s.created_at).toISOString() } : {}),
        metadata: { engine: 'mastodon', url: s.url ?? null, visibility: s.visibility ?? null, language: s.language ?? null },
      },
    };
  },
};

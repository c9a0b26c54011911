import { z } from 'zod';
import { type EngineAdapter, type EngineEvent, hmacSha256Matches } from './engine.ts';

const moderated = new Set(['post_created', 'post_edited']);

// The fields Hearth reads of Discourse's WebHookPostSerializer; the rest pass through unread.
const discoursePost = z.object({
  id: z.number().int(),
  raw: z.string(),
  username: z.string(),
  user_id: z.number().int().optional(),
  topic_id: z.number().int().optional(),
  post_number: z.number().int().optional(),
  reply_to_post_number: z.number().int().nullable().optional(),
  created_at: z.string().optional(),
  topic_title: z.string().optional(),
  topic_archetype: z.string().optional(),
  category_slug: z.string().nullable().optional(),
});

/**
 * Discourse as it sends webhooks: `X-Discourse-Event` names the event, the body is
 * `{"post": {…}}`, and `X-Discourse-Event-Signature` is `sha256=` HMAC of the raw body. Its
 * signature has no timestamp and does not cover `X-Discourse-Event-Id`, so retries and replays are
 * absorbed by the hash of the signed body (see routes/engine-hooks.ts), never by that header.
 */
export const discourseAdapter: EngineAdapter = {
  name: 'discourse',
  secretOf: (integrations) => integrations.discourse?.secret,
  verify: (header, rawBody, secret) => hmacSha256Matches(header('x-discourse-event-signature'), secret, rawBody),
  parse(header, body, integrations): EngineEvent {
    const event = header('x-discourse-event') ?? '';
    if (!moderated.has(event)) return { kind: 'ignored', reason: `Hearth does not moderate ${event || 'this'} events` };
    const parsed = z.object({ post: discoursePost }).safeParse(body);
    if (!parsed.success)
      throw new Error(
        `a ${event} body has a "post" with id, raw and username: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      );
    const p = parsed.data.post;
    if (p.raw.trim() === '') return { kind: 'ignored', reason: 'the post has no text' };
    const privateMessage = p.topic_archetype === 'private_message';
    const pmPolicy = integrations.discourse?.private_messages ?? 'restrict';
    if (privateMessage && pmPolicy === 'skip') return { kind: 'ignored', reason: 'private messages are not moderated for this forum' };
    const instance = header('x-discourse-instance');
    return {
      kind: 'post',
      onlyPolicies: privateMessage && pmPolicy === 'restrict' ? ['privacy_leak', 'hostility'] : undefined,
      post: {
        id: String(p.id),
        author: { id: String(p.user_id ?? p.username), name: p.username },
        ...(p.topic_id !== undefined ? { thread_id: String(p.topic_id) } : {}),
        // A topic's first post carries the topic's title, which is scored with it.
        ...(p.post_number === 1 && p.topic_title ? { title: p.topic_title } : {}),
        body: p.raw,
        format: 'markdown',
        ...(p.created_at && !Number.isNaN(Date.parse(p.created_at)) ? { created_at: new Date(p.created_at).toISOString() } : {}),
        metadata: {
          engine: 'discourse',
          ...(instance ? { instance } : {}),
          topic_id: p.topic_id ?? null,
          post_number: p.post_number ?? null,
          reply_to_post_number: p.reply_to_post_number ?? null,
          topic_archetype: p.topic_archetype ?? null,
          category_slug: p.category_slug ?? null,
        },
      },
    };
  },
};

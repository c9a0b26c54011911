import { createHash } from 'node:crypto';
import type { PostInput } from '../jobs/payloads.ts';

/** What makes two sends of a post "the same content": an edit changes this hash. */
export function contentHash(post: Pick<PostInput, 'title' | 'body' | 'format'>): string {
  return createHash('sha256')
    .update(JSON.stringify([post.title ?? null, post.body, post.format]))
    .digest('hex');
}

/**
 * Deterministic, so the same post and content always map to the same BullMQ job id and
 * answer; BullMQ forbids ':' in custom ids, hence a hash rather than a joined key.
 */
export function submissionId(forumId: string, postId: string, hash: string): string {
  const digest = createHash('sha256').update(`${forumId}\0${postId}\0${hash}`).digest('base64url');
  return `sub_${digest.slice(0, 26)}`;
}

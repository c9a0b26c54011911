import { z } from 'zod';
import type { PolicyResult } from '../moderation/types.ts';

/**
 * When a thread counts as tense, per forum. `pile_on`: posts by at least `authors` different
 * members, flagged for hostility and replying to the same member, within `within_minutes`.
 * `flagged_share`: at least `share` of the thread's posts flagged (crisis posts aside), once it
 * has `min_posts` posts. Either may be left out.
 */
export const threadAlertSettingsSchema = z
  .object({
    pile_on: z
      .object({
        authors: z.number().int().min(2).max(50).default(3),
        within_minutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(60),
      })
      .strict()
      .optional(),
    flagged_share: z
      .object({
        share: z.number().gt(0).max(1),
        min_posts: z.number().int().min(2).max(10_000).default(5),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((s) => s.pile_on !== undefined || s.flagged_share !== undefined, 'give pile_on, flagged_share or both');

export type ThreadAlertSettings = z.infer<typeof threadAlertSettingsSchema>;

/** One decision in a thread, with what the tension checks need. */
export interface ThreadPost {
  decisionId: string;
  postId: string;
  authorId: string | null;
  /** The author of the post this one replies to, when Hearth has that post. */
  replyToAuthorId: string | null;
  receivedAt: Date;
  policies: PolicyResult[];
  /** The newest review's labels; null when no one reviewed the decision. */
  reviewLabels: string[] | null;
}

export interface Tension {
  reason: 'pile_on' | 'flagged_share';
  targetAuthorId: string | null;
  decisionIds: string[];
  details: Record<string, unknown>;
}

/** A policy flagged and not overridden: the newest review, if any, names it. */
function flaggedFor(post: ThreadPost, policy: string): boolean {
  if (post.reviewLabels) return post.reviewLabels.includes(policy);
  return post.policies.some((p) => p.policy === policy && p.flagged);
}

/** Flagged for anything but a crisis: a member in crisis is not the thread's tension. */
function flaggedTense(post: ThreadPost): boolean {
  const policies = post.reviewLabels ?? post.policies.filter((p) => p.flagged).map((p) => p.policy);
  return policies.some((p) => p !== 'self_harm');
}

/**
 * Whether a thread's posts (each post's newest decision, oldest first) make it tense at `now`:
 * a pile-on first, since it names the member who needs a moderator, else the flagged share.
 */
export function threadTension(settings: ThreadAlertSettings, posts: readonly ThreadPost[], now: Date): Tension | null {
  if (settings.pile_on) {
    const since = now.getTime() - settings.pile_on.within_minutes * 60_000;
    const byTarget = new Map<string, ThreadPost[]>();
    for (const post of posts) {
      const target = post.replyToAuthorId;
      if (!target || post.authorId === target || post.receivedAt.getTime() < since || !flaggedFor(post, 'hostility')) continue;
      byTarget.set(target, [...(byTarget.get(target) ?? []), post]);
    }
    for (const [target, hostile] of byTarget) {
      const authors = new Set(hostile.map((p) => p.authorId));
      if (authors.size >= settings.pile_on.authors) {
        return {
          reason: 'pile_on',
          targetAuthorId: target,
          decisionIds: hostile.map((p) => p.decisionId),
          details: { authors: authors.size, post_ids: hostile.map((p) => p.postId), within_minutes: settings.pile_on.within_minutes },
        };
      }
    }
  }
  if (settings.flagged_share && posts.length >= settings.flagged_share.min_posts) {
    const flagged = posts.filter(flaggedTense);
    const share = flagged.length / posts.length;
    if (share >= settings.flagged_share.share) {
      return {
        reason: 'flagged_share',
        targetAuthorId: null,
        decisionIds: flagged.map((p) => p.decisionId),
        details: {
          posts: posts.length,
          flagged: flagged.length,
          share: Math.round(share * 1000) / 1000,
          post_ids: flagged.map((p) => p.postId),
        },
      };
    }
  }
  return null;
}

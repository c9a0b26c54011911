import { z } from 'zod';
import { bandSchema, thresholdSchema } from '../policies/schema.ts';
import { type PolicyId, policyIds } from './types.ts';

/**
 * What a forum may change about a policy: switch it off, or move its flag threshold and its
 * score-to-action bands. Validated by the same schema pieces as the policy files.
 */
export const policyOverrideSchema = z
  .object({
    enabled: z.boolean().optional(),
    flag_at: z.number().gt(0).max(1).optional(),
    thresholds: z.array(thresholdSchema).min(1).optional(),
    /** Scores in this band are also judged by the LLM (when one is configured). */
    uncertain_band: bandSchema.optional(),
    /** `false`: never remove automatically for this policy; the strictest action is `hold`. */
    auto_remove: z.boolean().optional(),
  })
  .strict();

export const forumOverridesSchema = z.partialRecord(z.enum(policyIds), policyOverrideSchema).superRefine((overrides, ctx) => {
  // A member in crisis must always reach a human; a forum may make crisis detection more
  // sensitive, never switch it off.
  if (overrides.self_harm?.enabled === false) {
    ctx.addIssue({ code: 'custom', path: ['self_harm', 'enabled'], message: 'crisis detection cannot be switched off' });
  }
});

export type PolicyOverride = z.infer<typeof policyOverrideSchema>;
export type ForumOverrides = Partial<Record<PolicyId, PolicyOverride>>;

/** Parses overrides or throws a message naming the policy, field and problem. */
export function parseForumOverrides(value: unknown): ForumOverrides {
  const parsed = forumOverridesSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(overrides)'}: ${i.message}`).join('; '));
  }
  return parsed.data as ForumOverrides;
}

/** Merges overrides into existing ones; `null` for a policy removes its override. */
export function mergeOverrides(current: ForumOverrides, change: Record<string, PolicyOverride | null>): ForumOverrides {
  const next: Record<string, PolicyOverride> = { ...current };
  for (const [policy, override] of Object.entries(change)) {
    if (override === null) delete next[policy];
    else next[policy] = { ...next[policy], ...override };
  }
  return parseForumOverrides(next);
}

/**
 * Switches off every policy but `only` (an engine's private messages are moderated for
 * privacy and hostility alone). Crisis signals stay on: a member in crisis in a private
 * message must still reach a human.
 */
export function restrictTo(overrides: ForumOverrides, only: PolicyId[] | undefined): ForumOverrides {
  if (!only) return overrides;
  const restricted: ForumOverrides = { ...overrides };
  for (const policy of policyIds) {
    if (policy !== 'self_harm' && !only.includes(policy)) restricted[policy] = { ...restricted[policy], enabled: false };
  }
  return restricted;
}

import { z } from 'zod';
import { actionOrder, type ModerationAction, type PolicyId, policyIds, type Verdict } from '../moderation/types.ts';

const DAY_MS = 86_400_000;

/**
 * One per-forum escalation rule: "`flags` flags of `policy` within `within_days` days → this
 * author's posts get at least `raise_to` for `for_days` days after the flag that reached the
 * count". `count: confirmed` counts only flags a moderator's newest review upheld.
 */
export const escalationRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'use 1-40 lower-case letters, digits, - or _'),
    policy: z
      .enum(policyIds)
      .refine((p) => p !== 'self_harm', 'a member in crisis is never escalated against; self_harm flags cannot count'),
    flags: z.number().int().min(1).max(100),
    within_days: z.number().int().min(1).max(365),
    // Never `remove`: a member's history may make a moderator look sooner, never take a post down unseen.
    raise_to: z.enum(['review', 'hold']),
    for_days: z.number().int().min(1).max(365),
    count: z.enum(['flagged', 'confirmed']).default('flagged'),
  })
  .strict();

export const escalationRulesSchema = z
  .array(escalationRuleSchema)
  .max(20)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `rule id ${r.id} is used twice` });
      seen.add(r.id);
    });
  });

export type EscalationRule = z.infer<typeof escalationRuleSchema>;

/**
 * One flag in an author's history: a post flagged for a policy, at the time it was first
 * flagged. `confirmed` when a moderator's newest review of it names the policy; `overridden`
 * when the newest review does not. Overridden flags never count.
 */
export interface AuthorFlag {
  postId: string;
  decisionId: string;
  policy: PolicyId;
  at: Date;
  review: 'none' | 'confirmed' | 'overridden';
}

/** A rule in force for an author: what raised it, and until when. */
export interface ActiveEscalation {
  rule_id: string;
  policy: PolicyId;
  raise_to: ModerationAction;
  /** The flags that reached the rule's count, oldest first. */
  flags: Array<{ post_id: string; decision_id: string; at: string }>;
  since: string;
  expires_at: string;
}

/** What a decision records of the author's standing. */
export interface EscalationRecord extends ActiveEscalation {
  /** The action before the rule; equal to the decision's action when the rule did not raise it. */
  previous_action: ModerationAction;
  applied: boolean;
}

const counts = (rule: EscalationRule, flag: AuthorFlag) =>
  flag.policy === rule.policy && flag.review !== 'overridden' && (rule.count === 'flagged' || flag.review === 'confirmed');

/**
 * The rules in force for an author at `now`, given their flags. A rule fires at the flag that
 * brings `flags` counted flags within `within_days`; it lasts `for_days` from that flag, so it
 * expires without anyone acting. The newest firing wins.
 */
export function activeEscalations(rules: readonly EscalationRule[], flags: readonly AuthorFlag[], now: Date): ActiveEscalation[] {
  const active: ActiveEscalation[] = [];
  for (const rule of rules) {
    const counted = flags.filter((f) => counts(rule, f) && f.at.getTime() <= now.getTime()).sort((a, b) => a.at.getTime() - b.at.getTime());
    for (let i = counted.length - 1; i >= rule.flags - 1; i--) {
      const last = counted[i] as AuthorFlag;
      const first = counted[i - rule.flags + 1] as AuthorFlag;
      if (last.at.getTime() - first.at.getTime() > rule.within_days * DAY_MS) continue;
      const expires = new Date(last.at.getTime() + rule.for_days * DAY_MS);
      if (expires.getTime() > now.getTime()) {
        active.push({
          rule_id: rule.id,
          policy: rule.policy,
          raise_to: rule.raise_to,
          flags: counted
            .slice(i - rule.flags + 1, i + 1)
            .map((f) => ({ post_id: f.postId, decision_id: f.decisionId, at: f.at.toISOString() })),
          since: last.at.toISOString(),
          expires_at: expires.toISOString(),
        });
      }
      break;
    }
  }
  return active;
}

const rank = (a: ModerationAction) => actionOrder.indexOf(a);

/**
 * Raises a verdict to the strictest action the author's standing asks for (never lowers it),
 * and says which rule did. Null when no rule is in force.
 */
export function raiseForStanding(
  verdict: Verdict,
  active: readonly ActiveEscalation[],
): { verdict: Verdict; escalation: EscalationRecord | null } {
  const strongest = [...active].sort((a, b) => rank(b.raise_to) - rank(a.raise_to) || b.expires_at.localeCompare(a.expires_at))[0];
  if (!strongest) return { verdict, escalation: null };
  const applied = rank(strongest.raise_to) > rank(verdict.action);
  return {
    verdict: applied ? { ...verdict, action: strongest.raise_to } : verdict,
    escalation: { ...strongest, previous_action: verdict.action, applied },
  };
}

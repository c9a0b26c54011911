import type { DbOrTx } from '../db/client.ts';
import type { Verdict } from '../moderation/types.ts';
import { authorFlags, lookbackFor } from './author-flags.ts';
import { activeEscalations, type EscalationRecord, raiseForStanding } from './escalation.ts';
import { remediesOf } from './forum-remedies.ts';

export interface StandingInput {
  forumId: string;
  authorId: string;
  postId: string;
  verdict: Verdict;
  now?: Date;
}

/**
 * The verdict as the author's standing in the forum makes it: raised by the strictest
 * escalation rule in force, with the record of that rule. The post itself (any revision) does
 * not count toward its own escalation. A forum without rules costs no query.
 */
export async function applyAuthorStanding(
  db: DbOrTx,
  forumRemedies: unknown,
  input: StandingInput,
): Promise<{ verdict: Verdict; escalation: EscalationRecord | null }> {
  const rules = remediesOf(forumRemedies).escalation_rules ?? [];
  if (rules.length === 0) return { verdict: input.verdict, escalation: null };
  const now = input.now ?? new Date();
  const flags = await authorFlags(db, input.forumId, input.authorId, lookbackFor(rules, now), { excludePostId: input.postId });
  return raiseForStanding(input.verdict, activeEscalations(rules, flags, now));
}

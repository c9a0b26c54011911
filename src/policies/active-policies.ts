import { desc, gt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { policySets } from '../db/schema/index.ts';
import { createLocalScorer, type LocalScorer } from '../moderation/local-scorer.ts';
import { buildPolicySet, type PolicySet } from './loader.ts';

export interface PolicyState {
  policySet: PolicySet;
  scorer: LocalScorer;
  /** The publication in force; undefined while the repository's files are (nothing published yet). */
  publicationId?: number;
}

/**
 * The policy set a process scores with. It starts from the repository's files and switches to
 * the newest published set whenever `refresh` finds one, so workers follow `hearth publish`
 * without a restart. A job reads `current()` once and uses that set throughout.
 */
export class ActivePolicies {
  private state: PolicyState;

  constructor(initial: PolicySet) {
    this.state = { policySet: initial, scorer: createLocalScorer(initial.policies, initial.model, initial.knowledge) };
  }

  current(): PolicyState {
    return this.state;
  }

  /** Loads a newer publication, if there is one; true when the set in force changed. */
  async refresh(db: DbOrTx): Promise<boolean> {
    const seen = this.state.publicationId ?? 0;
    const [row] = await db.select().from(policySets).where(gt(policySets.id, seen)).orderBy(desc(policySets.id)).limit(1);
    if (!row) return false;
    const policySet = buildPolicySet(new Map(Object.entries(row.files)), `published policy set ${row.id}`);
    this.state = { policySet, scorer: createLocalScorer(policySet.policies, policySet.model, policySet.knowledge), publicationId: row.id };
    return true;
  }
}

import { desc, gt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { policySets } from '../db/schema/index.ts';
import { type CrisisCheck, createCrisisCheck } from '../moderation/crisis-check.ts';
import { createLocalScorer, type LocalScorer } from '../moderation/local-scorer.ts';
import { buildPolicySet, type PolicySet } from './loader.ts';

export interface PolicyState {
  policySet: PolicySet;
  scorer: LocalScorer;
  /** The cheap check at ingest that sends a possible crisis to its own lane, from the same set. */
  crisisCheck: CrisisCheck;
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
    this.state = compile(initial);
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
    this.state = { ...compile(policySet), publicationId: row.id };
    return true;
  }
}

/**
 * Looks for a newer publication every `everyMs` until the returned stop is called. Workers and
 * the API both follow it: the API's crisis check must use the set the workers score with.
 */
export function followPublications(
  policies: ActivePolicies,
  db: DbOrTx,
  everyMs: number,
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
): () => void {
  const timer = setInterval(() => {
    policies
      .refresh(db)
      .then((changed) => {
        if (changed) log.info({ policy_set_version: policies.current().policySet.version }, 'switched to a newly published policy set');
      })
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'could not check for a published policy set'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

function compile(policySet: PolicySet): PolicyState {
  return {
    policySet,
    scorer: createLocalScorer(policySet.policies, policySet.model, policySet.knowledge),
    crisisCheck: createCrisisCheck(policySet),
  };
}

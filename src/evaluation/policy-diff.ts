import { type ModerationAction, type PolicyId, policyIds } from '../moderation/types.ts';
import { evaluate, type LabelledResult, type PolicyMetrics } from './metrics.ts';

export interface PolicyChange {
  policy: PolicyId;
  base: { score: number; flagged: boolean };
  draft: { score: number; flagged: boolean };
  /** Why the draft decided as it did: its rationale and evidence for this policy. */
  rationale: string;
  evidence: string[];
}

export interface ActionChange {
  id: string;
  excerpt: string;
  labels: PolicyId[];
  base: ModerationAction;
  draft: ModerationAction;
  /** Policies whose flag changed (the reason the action moved). */
  policies: PolicyChange[];
}

export interface PolicyDiff {
  posts: number;
  changed: ActionChange[];
  metrics: Record<PolicyId, { base: PolicyMetrics; draft: PolicyMetrics }>;
  macro_f1: { base: number; draft: number };
  clean_flagged_rate: { base: number; draft: number };
}

/** Two policy versions' results on the same posts: which posts change action and why, and the metric deltas. */
export function diffResults(base: readonly LabelledResult[], draft: readonly LabelledResult[]): PolicyDiff {
  const byId = new Map(base.map((r) => [r.id, r]));
  const changed: ActionChange[] = [];
  for (const d of draft) {
    const b = byId.get(d.id);
    if (!b || b.action === d.action) continue;
    const policies: PolicyChange[] = [];
    for (const policy of policyIds) {
      const bp = b.policies.find((p) => p.policy === policy);
      const dp = d.policies.find((p) => p.policy === policy);
      if (!bp || !dp || bp.flagged === dp.flagged) continue;
      policies.push({
        policy,
        base: { score: bp.score, flagged: bp.flagged },
        draft: { score: dp.score, flagged: dp.flagged },
        rationale: dp.flagged ? dp.rationale : bp.rationale,
        evidence: (dp.flagged ? dp : bp).evidence.map((e) => e.text),
      });
    }
    changed.push({
      id: d.id,
      excerpt: d.text.replace(/\s+/g, ' ').slice(0, 120),
      labels: [...d.labels],
      base: b.action,
      draft: d.action,
      policies,
    });
  }
  const baseReport = evaluate(base);
  const draftReport = evaluate(draft);
  return {
    posts: draft.length,
    changed,
    metrics: Object.fromEntries(
      policyIds.map((p) => [p, { base: baseReport.policies[p], draft: draftReport.policies[p] }]),
    ) as PolicyDiff['metrics'],
    macro_f1: { base: baseReport.macro_f1, draft: draftReport.macro_f1 },
    clean_flagged_rate: { base: baseReport.clean_flagged_rate, draft: draftReport.clean_flagged_rate },
  };
}

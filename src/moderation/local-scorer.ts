import type { Policy } from '../policies/schema.ts';
import type { Evidence, PolicyResult } from './types.ts';

interface CompiledSignal {
  id: string;
  regex: RegExp;
  weight: number;
  rationale: string;
}

interface CompiledPolicy {
  policy: Policy;
  signals: CompiledSignal[];
}

export interface LocalScorer {
  score(text: string): PolicyResult[];
}

/**
 * Deterministic pattern scorer: each policy's signals are matched against the text and their
 * weights combined as a noisy-or, so several weak signals add up without ever exceeding 1.
 * Pure: no I/O, compiled once per policy set.
 */
export function createLocalScorer(policies: Policy[]): LocalScorer {
  const compiled: CompiledPolicy[] = policies.map((policy) => ({
    policy,
    signals: policy.signals.map((s) => ({
      id: s.id,
      regex: new RegExp(s.pattern, 'giu'),
      weight: s.weight,
      rationale: s.rationale,
    })),
  }));
  return { score: (text) => compiled.map((c) => scorePolicy(c, text)) };
}

function scorePolicy({ policy, signals }: CompiledPolicy, text: string): PolicyResult {
  let miss = 1;
  let strongest: CompiledSignal | undefined;
  const evidence: Evidence[] = [];
  for (const signal of signals) {
    signal.regex.lastIndex = 0;
    let matched = false;
    for (const m of text.matchAll(signal.regex)) {
      if (m[0].length === 0) continue;
      matched = true;
      evidence.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
    }
    if (!matched) continue;
    miss *= 1 - signal.weight;
    if (!strongest || signal.weight > strongest.weight) strongest = signal;
  }
  const score = round(1 - miss);
  const flagged = score >= policy.flag_at;
  evidence.sort((a, b) => a.start - b.start);
  return {
    policy: policy.id,
    score,
    flagged,
    evidence: flagged ? evidence : [],
    rationale: strongest ? strongest.rationale : 'no signal',
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

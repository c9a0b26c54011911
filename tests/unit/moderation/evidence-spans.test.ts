import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../../src/evaluation/dataset.ts';
import { createLocalScorer } from '../../../src/moderation/local-scorer.ts';
import type { Evidence } from '../../../src/moderation/types.ts';
import { defaultPoliciesDir, loadPolicySet } from '../../../src/policies/loader.ts';

const policySet = await loadPolicySet();
const scorer = createLocalScorer(policySet.policies, policySet.model, policySet.knowledge);

/** Each item starts after the previous one ends: no repeats, no overlaps, in order. */
function overlaps(evidence: readonly Evidence[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < evidence.length; i++) {
    const [a, b] = [evidence[i - 1] as Evidence, evidence[i] as Evidence];
    if (b.start <= a.end) out.push(`${a.start}-${a.end} "${a.text}" then ${b.start}-${b.end} "${b.text}"`);
  }
  return out;
}

describe('evidence spans', () => {
  it('names a word once when several model features point at it (Spanish "de golpe")', () => {
    // A model that flags this on its own, through a word and a phrase feature that both cover "golpe".
    const model = {
      format: 'hearth-linear-model/1' as const,
      trained_on: [],
      policies: { unsafe_medical_advice: { weights: { 'w:golpe': 6, 'b:de_golpe': 6, 'w:pregabalina': 1 } } },
    };
    const onlyModel = createLocalScorer(policySet.policies, model, policySet.knowledge);
    const text = 'Deja la pregabalina de golpe, no pasa nada.';
    const advice = onlyModel.score(text).policies.find((p) => p.policy === 'unsafe_medical_advice');
    expect(advice?.evidence.length).toBeGreaterThan(0);
    expect(overlaps(advice?.evidence ?? [])).toEqual([]);
    expect(advice?.evidence.filter((e) => e.text.includes('golpe'))).toHaveLength(1);
  });

  it('never repeats or overlaps within one policy result, over every training post', async () => {
    const dir = join(defaultPoliciesDir, 'training');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    let scored = 0;
    const problems: string[] = [];
    for (const file of files) {
      const { posts } = parseDataset(await readFile(join(dir, file), 'utf8'), { labelled: true });
      for (const post of posts) {
        scored++;
        for (const p of scorer.score(post.text, post.format).policies)
          for (const o of overlaps(p.evidence)) problems.push(`${post.id} ${p.policy}: ${o}`);
      }
    }
    expect(scored).toBeGreaterThan(1000);
    expect(problems).toEqual([]);
  });
});

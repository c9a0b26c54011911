import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../src/evaluation/dataset.ts';
import { evaluateDataset } from '../../src/evaluation/score-dataset.ts';
import { createLocalScorer } from '../../src/moderation/local-scorer.ts';
import { loadPolicySet } from '../../src/policies/loader.ts';

// The repository's own data (datasets/README.md says what each set is and who wrote it).
const datasets = new URL('../../datasets/', import.meta.url);
const devSet = new URL('forum-posts.dev.jsonl', datasets);

describe('scorer quality on the dev set', () => {
  it('reaches macro F1 0.80 without removing a crisis post', async () => {
    const posts = readDataset(await readFile(devSet, 'utf8'), 'forum-posts.dev.jsonl', { labelled: true });
    const policySet = await loadPolicySet();
    const report = evaluateDataset(policySet, createLocalScorer(policySet.policies, policySet.model, policySet.knowledge), posts);
    expect(report.posts).toBe(260);
    expect(report.macro_f1).toBeGreaterThanOrEqual(0.8);
    expect(report.crisis.removed).toBe(0);
    // Urgent needs crisis language now, never a model score alone: 14 of 15 when measured.
    expect(report.crisis.urgent).toBeGreaterThanOrEqual(report.crisis.posts - 1);
    expect(report.clean_flagged_rate).toBeLessThanOrEqual(0.05);
  });

  // Written by people who never saw the rules, and never trained on: a check that the scorer
  // generalises beyond the wording it was built from. Earlier changes were chosen by looking at
  // these sets, so they are floors against regressions rather than honest estimates.
  it.each([
    // Floors a little under what was measured after the evidence caps and the one-post rules were
    // removed (0.753, 0.649, 0.648), before the model was retrained: regression guards, not targets.
    ['holdout-check.jsonl', 0.72, 0.1],
    ['check-2.jsonl', 0.62, 0.15],
    ['check-3.jsonl', 0.62, 0.15],
  ])('holds up on the independent check set %s', async (file, minF1, maxCleanFlagged) => {
    const posts = readDataset(await readFile(new URL(file, datasets), 'utf8'), file, { labelled: true });
    const policySet = await loadPolicySet();
    const report = evaluateDataset(policySet, createLocalScorer(policySet.policies, policySet.model, policySet.knowledge), posts);
    expect(report.macro_f1).toBeGreaterThanOrEqual(minF1);
    expect(report.clean_flagged_rate).toBeLessThanOrEqual(maxCleanFlagged);
    expect(report.crisis.removed).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { createLocalScorer } from '../../../src/moderation/local-scorer.ts';
import { scorePost } from '../../../src/moderation/score-post.ts';
import { loadPolicySet } from '../../../src/policies/loader.ts';

const policySet = await loadPolicySet();
const scorer = createLocalScorer(policySet.policies, policySet.model, policySet.knowledge);

describe('scoring a whole post', () => {
  it('scores the title too, and marks title evidence', () => {
    const title = 'You are a pathetic liar and a junkie';
    const scored = scorePost(policySet, scorer, { title, body: 'See the thread above for details.' });
    const hostility = scored.verdict.policies.find((p) => p.policy === 'hostility');
    expect(hostility?.flagged).toBe(true);
    for (const e of hostility?.evidence ?? []) {
      expect(e.field).toBe('title');
      expect(title.slice(e.start, e.end)).toBe(e.text);
    }
  });

  it('treats a post that is only a quotation as the author’s words', () => {
    const scored = scorePost(policySet, scorer, {
      body: '> I have saved all my pills and tonight I am going to take them all. Goodbye everyone.',
    });
    expect(scored.verdict.urgent).toBe(true);
    const replied = scorePost(policySet, scorer, {
      body: '> I have saved all my pills and tonight I will take them.\n\nPlease call 988 right now, we care about you.',
    });
    expect(replied.verdict.policies.find((p) => p.policy === 'self_harm')?.flagged).toBe(false);
  });

  it('never cuts a character in two in evidence', () => {
    for (const [body, format] of [
      ['I am going to 𝐤𝐢𝐥𝐥 𝐦𝐲𝐬𝐞𝐥𝐟 tonight', 'text'],
      ['<p>you stupid idio&#116;</p>', 'html'],
    ] as const) {
      for (const p of scorePost(policySet, scorer, { body, format }).verdict.policies) {
        for (const e of p.evidence) {
          expect(body.slice(e.start, e.end)).toBe(e.text);
          expect(e.text.isWellFormed()).toBe(true);
          expect(e.text).not.toMatch(/&[#\w]*$|^[\s<]|[\s<]$/);
        }
      }
    }
  });
});

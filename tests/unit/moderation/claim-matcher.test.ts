import { describe, expect, it } from 'vitest';
import { createClaimMatcher } from '../../../src/moderation/claims/claim-matcher.ts';
import type { Claim } from '../../../src/moderation/knowledge.ts';

const claim = (id: string, text: string, paraphrases: string[]): Claim => ({
  id,
  topic: 'test',
  claim: text,
  fact: 'An established fact that says something else entirely.',
  source: { name: 'Test', url: 'https://example.org/' },
  paraphrases,
});

const claims = [
  claim('crossed-eyes', 'Crossed eyes can freeze that way.', ['Crossing your eyes makes them stay crossed for good.']),
  claim('other-topic', 'Garlic tablets cure high blood pressure completely.', ['Garlic cures hypertension.']),
];
const matcher = createClaimMatcher(claims, {
  stopWords: new Set(['can', 'that', 'way', 'your', 'them', 'for', 'the', 'a', 'is', 'are', 'next', 'with']),
  minSimilarity: 0.6,
  normalise: (t) => t.toLowerCase(),
});

describe('claim matching of short wordings', () => {
  it('matches a sentence that says the whole of a three-word wording', () => {
    expect(matcher.match('my crossed eyes will freeze that way')?.claim.id).toBe('crossed-eyes');
  });

  it('does not match a sentence that shares only two of its three words', () => {
    // "crossed" and "eyes" are a topic ("fingers crossed"); without "freeze" it is not the claim.
    expect(matcher.match('eyes crossed, fingers crossed')).toBeUndefined();
  });
});

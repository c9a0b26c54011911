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

describe('claim matching of longer wordings', () => {
  const longer = createClaimMatcher(
    [
      // "long covid" is rare among the claims and "hospitalised people" common, so the topic alone
      // carries over half of the wording's weighted meaning.
      claim('only-severe', 'Hospitalised people get long covid.', []),
      claim('flu-old', 'Hospitalised people die of flu.', []),
      claim('beds', 'Hospitalised people need bed rest.', []),
    ],
    { stopWords: new Set(['who', 'were', 'with', 'get', 'the', 'a', 'to', 'of']), minSimilarity: 0.6, normalise: (t) => t.toLowerCase() },
  );

  it('does not match a post that only names the topic, two of the wording’s words', () => {
    expect(longer.match('long covid again')).toBeUndefined();
  });

  it('matches a sentence that says the wording', () => {
    expect(longer.match('long covid only happens to hospitalised people')?.claim.id).toBe('only-severe');
  });
});

describe('claim matching by word vectors', () => {
  // Four words in a vector file ordered as general English is, commonest first: "people" and
  // "years" sit at ranks 0 and 1, "jab" and "vaccine" far down. Each pair shares one vector.
  const dimensions = 2;
  const ranked = ['people', 'years', ...Array.from({ length: 400 }, (_, i) => `filler${i}`), 'jab', 'vaccine'];
  const data = new Int8Array(ranked.length * dimensions);
  const setVector = (word: string, v: [number, number]) => data.set(v, ranked.indexOf(word) * dimensions);
  setVector('people', [127, 0]);
  setVector('years', [127, 0]);
  setVector('jab', [0, 127]);
  setVector('vaccine', [0, 127]);
  const vectors = { dimensions, index: new Map(ranked.map((w, i) => [w, i])), data };
  const withVectors = createClaimMatcher(
    [claim('jab-sterile', 'The vaccine makes women sterile.', []), claim('people-spread', 'People spread measles.', [])],
    { stopWords: new Set(['the', 'a', 'makes']), vectors, minSimilarity: 0.6, normalise: (t) => t.toLowerCase() },
  );

  it('meets a rare word through its vector ("jab" for "vaccine")', () => {
    expect(withVectors.match('the jab makes women sterile')?.claim.id).toBe('jab-sterile');
  });

  it('does not let one of the commonest words stand for another, however close their vectors', () => {
    // A three-word wording is met only whole: "years" standing for "people" would complete it.
    expect(withVectors.match('years spread measles')).toBeUndefined();
    expect(withVectors.match('people spread measles')?.claim.id).toBe('people-spread');
  });
});

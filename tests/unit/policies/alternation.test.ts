import { describe, expect, it } from 'vitest';
import { alternation, hasTopLevelAlternation, topLevelAlternatives } from '../../../src/policies/alternation.ts';

const matches = (entries: string[], text: string) => new RegExp(alternation(entries), 'u').test(text);

describe('alternation of word-list entries', () => {
  it('matches what each entry matches when an entry is itself an alternation', () => {
    // Grouped by first letter, "rub x|rub y" once became r(?:ub x|rub y): "rub y" was lost.
    const entries = ['(?:rub|massage) the frostbite hard|rub them hard with snow', 'rest it', 'rinse with water'];
    for (const text of ['rub them hard with snow', 'massage the frostbite hard', 'rest it', 'rinse with water'])
      expect(matches(entries, text), text).toBe(true);
    expect(matches(entries, 'rrub them hard with snow')).toBe(true); // contains the phrase
    expect(matches(entries, 'ub them hard with snow')).toBe(false);
  });

  it('tells a top-level | from one inside a group or a character class', () => {
    expect(hasTopLevelAlternation('a|b')).toBe(true);
    expect(hasTopLevelAlternation('(?:a|b) c')).toBe(false);
    expect(hasTopLevelAlternation('[|] c')).toBe(false);
    expect(hasTopLevelAlternation('\\| c')).toBe(false);
    expect(hasTopLevelAlternation('(?:a) b|c')).toBe(true);
  });

  it('splits a pattern into its top-level alternatives only', () => {
    expect(topLevelAlternatives('a(?:b|c)|[|d]|e\\|f')).toEqual(['a(?:b|c)', '[|d]', 'e\\|f']);
    expect(topLevelAlternatives('(?:x|y)z')).toEqual(['(?:x|y)z']);
  });
});

import { seededRandom } from '../moderation/model/seeded-random.ts';

/*
 * The disguises people use to get words past filters, applied deterministically so that
 * `hearth eval --obfuscate` measures the scorer on the same disguised text every run: leetspeak
 * digits, zero-width characters inside words, look-alike letters from other scripts, and
 * letters spaced apart.
 */

const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' };
/** Cyrillic and Greek letters that look like Latin ones. */
const LOOKALIKE: Record<string, string> = { a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', i: 'і' };
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060'];

export const obfuscations = ['leetspeak', 'zero_width', 'lookalike', 'spacing'] as const;
export type Obfuscation = (typeof obfuscations)[number];

/** Disguises about a third of the words of length 4 or more, each with one of the four tricks, the same way for the same seed. */
export function obfuscate(text: string, seed: number): string {
  const random = seededRandom(seed);
  return text.replace(/[A-Za-z]{4,}/g, (word) => {
    if (random() > 0.35) return word;
    const trick = obfuscations[Math.floor(random() * obfuscations.length)] as Obfuscation;
    return disguise(word, trick, random);
  });
}

function disguise(word: string, trick: Obfuscation, random: () => number): string {
  switch (trick) {
    case 'leetspeak':
      return [...word].map((c) => LEET[c.toLowerCase()] ?? c).join('');
    case 'zero_width':
      return [...word].map((c, i) => (i > 0 && random() < 0.5 ? `${ZERO_WIDTH[i % ZERO_WIDTH.length]}${c}` : c)).join('');
    case 'lookalike':
      return [...word].map((c) => LOOKALIKE[c] ?? c).join('');
    case 'spacing':
      return [...word].join(' ');
  }
}

/** A seed per post from its id, so each post is disguised the same way whatever else is in the file. */
export function seedOf(id: string): number {
  let h = 2166136261;
  for (const c of id) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

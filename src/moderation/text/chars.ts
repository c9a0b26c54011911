// Character classes as bit flags, computed once per character while folding so that the later
// passes are plain array reads: a post is prepared on every submission, in the hot path.
export const LETTER = 1;
export const DIGIT = 2;
/** May stand for a letter inside a disguised word: "1d10t", "$hit", "@ss", "sh!t", "st*pid". */
export const TOKEN_SYMBOL = 4;
/** May stand for a letter in a spaced-out word ("k 1 l l"): leet digits, $ and @. */
export const LEET_UNIT = 8;
/** May stand between the letters of a spaced-out word, besides up to three spaces. */
export const SEPARATOR = 16;
export const WORDISH = LETTER | DIGIT | LEET_UNIT;
export const TOKEN = LETTER | DIGIT | TOKEN_SYMBOL;

export const ASCII = asciiClasses({
  abcdefghijklmnopqrstuvwxyz: LETTER,
  '0123456789': DIGIT,
  '$@!*': TOKEN_SYMBOL,
  '013457$@': LEET_UNIT,
  '.-_*/|~+': SEPARATOR,
});
const NON_ASCII_SEPARATORS = new Set([0xb7, 0x2022]); // · •
const IS_LETTER = /^\p{L}$/u;

/**
 * The view being built, as UTF-16 units, each with the original index it came from and its
 * class. One buffer holds all three: on a 1 KB post, allocating is a large share of the cost.
 */
export interface Chars {
  units: Uint16Array;
  at: Int32Array;
  cls: Uint8Array;
  length: number;
}

function asciiClasses(members: Record<string, number>): Uint8Array {
  const table = new Uint8Array(128);
  for (const [chars, flag] of Object.entries(members)) {
    for (const c of chars) table[c.charCodeAt(0)] = (table[c.charCodeAt(0)] ?? 0) | flag;
  }
  return table;
}

/** Room for `capacity` units, in one buffer. */
export function allocate(capacity: number): Chars {
  const buffer = new ArrayBuffer(capacity * 7);
  return {
    at: new Int32Array(buffer, 0, capacity),
    units: new Uint16Array(buffer, capacity * 4, capacity),
    cls: new Uint8Array(buffer, capacity * 6, capacity),
    length: 0,
  };
}

/** The class flags of one code point. */
export function classOf(cp: number): number {
  if (cp < 0x80) return ASCII[cp] as number;
  if (NON_ASCII_SEPARATORS.has(cp)) return SEPARATOR;
  return IS_LETTER.test(String.fromCodePoint(cp)) ? LETTER : 0;
}

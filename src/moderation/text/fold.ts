// Look-alikes used to slip words past filters, by their lower-case form: Cyrillic and Greek
// letters that render like Latin ones, and Latin letters that compatibility decomposition
// leaves alone. Applied after NFKD and lower-casing, so uppercase forms land here too.
const LOOK_ALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  ζ: 'z',
  η: 'n',
  ι: 'i',
  κ: 'k',
  // Also the micro sign, which NFKD turns into mu: "10µg" reads as "10ug".
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ϲ: 'c',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ȷ: 'j',
  ɑ: 'a',
  ɡ: 'g',
  ĸ: 'k',
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  // Hangul fillers render as nothing and are a known way to hide a break inside a word.
  '\u115F': '',
  '\u1160': '',
  '\u3164': '',
  '\uFFA0': '',
};

const FOLDS = new Map<number, string>(Object.entries(LOOK_ALIKES).map(([from, to]) => [from.codePointAt(0) as number, to]));
const INVISIBLE = /^[\p{Cf}\p{M}]$/u;

/**
 * The matching form of one non-ASCII code point: lower-cased, diacritics and compatibility
 * forms (fullwidth, mathematical bold, ligatures, circled letters) reduced, look-alikes mapped
 * to Latin; '' for format characters (zero-width, soft hyphen, bidi controls) and lone marks.
 */
export function foldCodePoint(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (INVISIBLE.test(ch)) return '';
  const direct = FOLDS.get(cp);
  if (direct !== undefined) return direct;
  if (!decomposes(cp)) return ch.toLowerCase();
  let out = '';
  for (const part of ch.normalize('NFKD').toLowerCase()) {
    if (INVISIBLE.test(part)) continue;
    out += FOLDS.get(part.codePointAt(0) as number) ?? part;
  }
  return out;
}

// Decomposition is limited to alphabetic scripts and compatibility blocks: in Hangul or kana it
// would split syllables and drop voicing marks that change the word.
function decomposes(cp: number): boolean {
  return (
    cp < 0x0590 || // Latin, IPA, Greek, Cyrillic
    (cp >= 0x1d00 && cp < 0x2200) || // phonetic and Latin extended, spaces, letterlike, numbers
    (cp >= 0x2460 && cp < 0x2500) || // enclosed alphanumerics
    cp === 0x3000 ||
    (cp >= 0xfb00 && cp < 0xfb07) || // Latin ligatures
    (cp >= 0xff00 && cp < 0xffef) || // fullwidth and halfwidth forms
    (cp >= 0x1d400 && cp < 0x1d800) || // mathematical alphanumerics
    (cp >= 0x1f100 && cp < 0x1f1ff) // enclosed alphanumeric supplement
  );
}

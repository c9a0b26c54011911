const COMMON: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00A0',
  shy: '\u00AD',
  zwj: '\u200D',
  zwnj: '\u200C',
  lrm: '\u200E',
  rlm: '\u200F',
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  sbquo: '\u201A',
  ldquo: '\u201C',
  rdquo: '\u201D',
  bdquo: '\u201E',
  laquo: '\u00AB',
  raquo: '\u00BB',
  hellip: '\u2026',
  bull: '\u2022',
  middot: '\u00B7',
  iexcl: '\u00A1',
  iquest: '\u00BF',
  cent: '\u00A2',
  pound: '\u00A3',
  euro: '\u20AC',
  yen: '\u00A5',
  copy: '\u00A9',
  reg: '\u00AE',
  trade: '\u2122',
  deg: '\u00B0',
  plusmn: '\u00B1',
  times: '\u00D7',
  divide: '\u00F7',
  micro: '\u00B5',
  frac12: '\u00BD',
  frac14: '\u00BC',
  frac34: '\u00BE',
  sup2: '\u00B2',
  sup3: '\u00B3',
  para: '\u00B6',
  sect: '\u00A7',
  szlig: '\u00DF',
  aelig: '\u00E6',
  AElig: '\u00C6',
  oslash: '\u00F8',
  Oslash: '\u00D8',
  oelig: '\u0153',
  OElig: '\u0152',
  eth: '\u00F0',
  thorn: '\u00FE',
  hearts: '\u2665',
};

// Accented letters (&eacute; &Ntilde; …) are generated rather than listed: base letter plus
// combining mark, composed by NFC; only pairs that compose to one character are kept.
const MARKS: Record<string, string> = {
  acute: '\u0301',
  grave: '\u0300',
  circ: '\u0302',
  tilde: '\u0303',
  uml: '\u0308',
  ring: '\u030A',
  cedil: '\u0327',
};

function buildNamedEntities(): Map<string, string> {
  const table = new Map(Object.entries(COMMON));
  for (const base of 'aeiouycnAEIOUYCN') {
    for (const [suffix, mark] of Object.entries(MARKS)) {
      const composed = (base + mark).normalize('NFC');
      if (composed.length === 1) table.set(base + suffix, composed);
    }
  }
  return table;
}

const NAMED = buildNamedEntities();

// HTML reads &#128;–&#159; as Windows-1252, which is what pasted Word text produces.
const WINDOWS_1252 =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/y;

/** An entity found at an index: what it decodes to and where it ends. */
export interface DecodedEntity {
  text: string;
  end: number;
}

/** Decodes the character reference starting at `index` (which holds '&'), or null if there is none. */
export function decodeEntityAt(source: string, index: number): DecodedEntity | null {
  ENTITY.lastIndex = index;
  const m = ENTITY.exec(source);
  if (!m) return null;
  const end = index + m[0].length;
  if (m[3] !== undefined) {
    const text = NAMED.get(m[3]) ?? NAMED.get(m[3].toLowerCase());
    return text === undefined ? null : { text, end };
  }
  const code = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2] ?? '', 16);
  return { text: fromCodePoint(code), end };
}

function fromCodePoint(code: number): string {
  if (code >= 0x80 && code <= 0x9f) return WINDOWS_1252[code - 0x80] ?? '\uFFFD';
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(code);
}

import { ASCII, allocate, type Chars, classOf, LETTER, TOKEN } from './chars.ts';
import { foldCodePoint } from './fold.ts';
import { deobfuscateToken } from './leetspeak.ts';
import type { MappedText } from './mapped-text.ts';
import { joinSpacedLetters } from './spaced-letters.ts';

// Stateless when not streaming; decodes a whole view in one native call. A lone surrogate
// becomes U+FFFD, still one unit, so the map stays aligned.
const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });

/**
 * Builds the matching view from `plain`: folded characters, spaced-out words joined, leetspeak
 * and masks read back, long letter runs shortened. Every step drops or rewrites characters one
 * for one, carrying each character's original index along.
 */
export function normalizeView(originalLength: number, plain: string, plainMap: Int32Array): MappedText {
  const chars = fold(plain, plainMap);
  joinSpacedLetters(chars);
  deobfuscate(chars);
  collapseRepeats(chars);
  const { units, at, length } = chars;
  at[length] = originalLength;
  return { text: UTF16.decode(units.subarray(0, length)), map: at.subarray(0, length + 1) };
}

interface Folded {
  text: string;
  classes: number[];
}

function fold(plain: string, plainMap: Int32Array): Chars {
  let chars = allocate(plain.length + 8);
  let { units, at, cls } = chars;
  let n = 0;
  // Posts repeat the same few non-ASCII characters; folding each distinct one once is enough.
  const memo = new Map<number, Folded>();
  for (let i = 0; i < plain.length; i++) {
    let cp = plain.charCodeAt(i);
    if (cp < 0x80) {
      if (cp >= 0x41 && cp <= 0x5a) cp += 0x20;
      units[n] = cp;
      at[n] = plainMap[i] as number;
      cls[n++] = ASCII[cp] as number;
      continue;
    }
    const origin = plainMap[i] as number;
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      cp = plain.codePointAt(i) as number;
      if (cp > 0xffff) width = 2;
    }
    let folded = memo.get(cp);
    if (folded === undefined) {
      const text = foldCodePoint(cp);
      const classes: number[] = [];
      for (let k = 0; k < text.length; k++) {
        const c = text.codePointAt(k) as number;
        classes.push(classOf(c));
        // A surrogate pair's low half gets no class of its own.
        if (c > 0xffff) {
          classes.push(0);
          k++;
        }
      }
      folded = { text, classes };
      memo.set(cp, folded);
    }
    // One input unit may fold to several (ß → ss); keep room for every unit still to come.
    if (n + folded.text.length + plain.length - i + 1 > units.length) {
      const bigger = allocate((n + folded.text.length + plain.length - i) * 2);
      bigger.units.set(units.subarray(0, n));
      bigger.at.set(at.subarray(0, n));
      bigger.cls.set(cls.subarray(0, n));
      chars = bigger;
      ({ units, at, cls } = chars);
    }
    // An unchanged surrogate pair (an emoji) keeps each half's own index, so a span ending on
    // it ends after the whole pair.
    const keepsPair = width === 2 && folded.text.length === 2;
    for (let k = 0; k < folded.text.length; k++) {
      units[n] = folded.text.charCodeAt(k);
      at[n] = keepsPair && k === 1 ? (plainMap[i + 1] as number) : origin;
      cls[n++] = folded.classes[k] as number;
    }
    i += width - 1;
  }
  chars.length = n;
  return chars;
}

// Rewrites leetspeak and masked words in place, token by token; a token's length never changes.
function deobfuscate({ units, cls, length }: Chars): void {
  for (let i = 0; i < length; i++) {
    if (!((cls[i] as number) & TOKEN)) continue;
    let j = i;
    let plainWord = true;
    for (; j < length && (cls[j] as number) & TOKEN; j++) if (!((cls[j] as number) & LETTER)) plainWord = false;
    if (!plainWord && j - i > 1) {
      let token = '';
      for (let k = i; k < j; k++) token += String.fromCharCode(units[k] as number);
      const read = deobfuscateToken(token);
      if (read !== null) {
        for (let k = 0; k < read.length; k++) {
          const unit = read.charCodeAt(k);
          if (unit === units[i + k]) continue;
          units[i + k] = unit;
          cls[i + k] = classOf(unit);
        }
      }
    }
    i = j;
  }
}

// Shortens runs of three or more of one letter to two: "stuuupid" → "stuupid". Digits are left
// alone: "1000mg", "07700".
function collapseRepeats(chars: Chars): void {
  const { units, at, cls, length } = chars;
  // Most posts have no such run: find the first one before copying anything.
  let i = 2;
  while (i < length && !(units[i] === units[i - 1] && units[i] === units[i - 2] && (cls[i] as number) & LETTER)) i++;
  if (i >= length) return;
  let out = i;
  let last = units[i - 1] as number;
  let run = 2;
  for (; i < length; i++) {
    const unit = units[i] as number;
    run = unit === last ? run + 1 : 1;
    last = unit;
    if (run > 2 && (cls[i] as number) & LETTER) continue;
    units[out] = unit;
    at[out] = at[i] as number;
    cls[out++] = cls[i] as number;
  }
  chars.length = out;
}

import { type Chars, LEET_UNIT, LETTER, SEPARATOR, WORDISH } from './chars.ts';

/** Joins runs of three or more single letters spaced out to evade filters: "k i l l", "i.d.i.o.t". */
export function joinSpacedLetters(chars: Chars): void {
  const { units, cls, length: n } = chars;
  let drop: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    // Most characters are not an isolated single letter; rule them out before any call.
    if (!((cls[i] as number) & (LETTER | LEET_UNIT)) || (i > 0 && (cls[i - 1] as number) & WORDISH) || !isUnit(chars, i)) continue;
    const found = [i];
    let letters = (cls[i] as number) & LETTER ? 1 : 0;
    for (let k = afterGap(chars, i + 1); k > 0 && isUnit(chars, k); k = afterGap(chars, k + 1)) {
      // One word is spaced one way: "k i l l   i.d.i.o.t" is two words, not "killidiot".
      const prev = found[found.length - 1] as number;
      if (found.length > 1 && !sameGap(units, i + 1, found[1] as number, prev + 1, k)) break;
      found.push(k);
      if ((cls[k] as number) & LETTER) letters++;
    }
    // Mostly letters, so "5 x 3 x 2" and "1 2 3" stay as written.
    if (found.length >= 3 && letters >= 2 && letters * 2 > found.length) {
      drop ??= new Uint8Array(n);
      for (let u = 0; u < found.length - 1; u++) drop.fill(1, (found[u] as number) + 1, found[u + 1]);
    }
    i = found[found.length - 1] as number;
  }
  if (!drop) return;
  const { at } = chars;
  let out = 0;
  for (let i = 0; i < n; i++) {
    if (drop[i]) continue;
    units[out] = units[i] as number;
    at[out] = at[i] as number;
    cls[out++] = cls[i] as number;
  }
  chars.length = out;
}

// A letter (or leet digit) standing alone, with no letter or digit on either side.
function isUnit({ cls, length }: Chars, i: number): boolean {
  return (
    i < length &&
    ((cls[i] as number) & (LETTER | LEET_UNIT)) !== 0 &&
    (i === 0 || !((cls[i - 1] as number) & WORDISH)) &&
    !((cls[i + 1] ?? 0) & WORDISH)
  );
}

// Where the next letter may stand after a gap starting at `i`: one to three spaces, or one
// separator ("i.d.i.o.t", "s-t-u-p-i-d"); -1 when there is no gap.
function afterGap({ units, cls, length }: Chars, i: number): number {
  let k = i;
  while (k < length && k < i + 3 && (units[k] === 0x20 || units[k] === 0x09)) k++;
  if (k > i) return k;
  return i < length && (cls[i] as number) & SEPARATOR ? i + 1 : -1;
}

function sameGap(units: Uint16Array, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let k = 0; k < aEnd - aStart; k++) if (units[aStart + k] !== units[bStart + k]) return false;
  return true;
}

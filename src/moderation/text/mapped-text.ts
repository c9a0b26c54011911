/**
 * A derived text with, for each UTF-16 code unit, the index in the original it came from;
 * `map` has one more entry than `text`, the original's length.
 */
export interface MappedText {
  text: string;
  map: Int32Array;
}

interface Insertion {
  at: number;
  text: string;
}

/**
 * Edits planned against an original string: code units to drop and text to insert. Markup
 * reducers mark what they find in any order; `apply` then builds the result in one pass, so
 * no reducer has to keep offsets in step with earlier edits.
 */
export class Edits {
  readonly dropped: Uint8Array;
  private readonly insertions: Insertion[] = [];

  constructor(readonly source: string) {
    this.dropped = new Uint8Array(source.length);
  }

  drop(start: number, end: number): void {
    this.dropped.fill(1, start, end);
  }

  /** Drops [start, end) and puts `text` in its place; every inserted unit maps to `start`. */
  replace(start: number, end: number, text: string): void {
    this.drop(start, end);
    this.insertions.push({ at: start, text });
  }

  isDropped(index: number): boolean {
    return this.dropped[index] === 1;
  }

  apply(): MappedText {
    const { source, dropped } = this;
    const n = source.length;
    // Stable sort: two insertions at one index keep the order they were planned in.
    const insertions = this.insertions.sort((a, b) => a.at - b.at);
    let inserted = 0;
    for (const { text } of insertions) inserted += text.length;
    const map = new Int32Array(n + inserted + 1);
    const parts: string[] = [];
    let length = 0;
    let next = 0;
    // Whole runs at a time: each kept run is one slice. Plain loops beat the typed-array
    // built-ins here: runs are short, and each built-in call costs more than the scan.
    for (let i = 0; ; ) {
      for (let ins = insertions[next]; ins && ins.at <= i; ins = insertions[++next]) {
        parts.push(ins.text);
        for (let k = 0; k < ins.text.length; k++) map[length++] = ins.at;
      }
      if (i >= n) break;
      if (dropped[i]) {
        while (i < n && dropped[i]) i++;
        continue;
      }
      const ins = insertions[next];
      const limit = ins ? ins.at : n;
      const start = i;
      while (i < limit && !dropped[i]) map[length++] = i++;
      parts.push(source.slice(start, i));
    }
    map[length] = n;
    return { text: parts.join(''), map: map.subarray(0, length + 1) };
  }
}

/** The identity view of a string: nothing removed. */
export function identity(source: string): MappedText {
  const map = new Int32Array(source.length + 1);
  for (let i = 0; i <= source.length; i++) map[i] = i;
  return { text: source, map };
}

/** What a markup reducer found: the edits that reduce a body to its text, and what it knows of quotes and code. */
export interface Markup {
  edits: Edits;
  /** Quotations the markup itself delimits (HTML <blockquote>), in original indices. */
  quoted: Array<[number, number]>;
  /** 1 at original indices inside code, where quote markers are shown literally; null when there is none. */
  literal: Uint8Array | null;
}

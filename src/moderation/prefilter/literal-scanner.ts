/**
 * Finds which of many literals occur in a text in one pass (Aho–Corasick), overlaps included:
 * the prefilter asks "does any of this signal's literals occur?" for every signal at once,
 * which costs one walk over the post instead of one regex scan per signal.
 */
export interface LiteralScanner {
  /** Flags by literal index: 1 where the literal occurs in `text`. */
  scan(text: string): Uint8Array;
}

/**
 * Built as a full automaton over the literals' own alphabet: one table lookup per character
 * of the post, no fail-link walks while scanning. Characters that appear in no literal share
 * class 0, which always leads back to the root.
 */
export function createLiteralScanner(literals: readonly string[]): LiteralScanner {
  const classOf = new Uint16Array(0x10000);
  let classes = 1;
  for (const literal of literals) {
    for (let i = 0; i < literal.length; i++) {
      const code = literal.charCodeAt(i);
      if (classOf[code] === 0) classOf[code] = classes++;
    }
  }

  // The trie first, with child links by character class.
  const children: Array<Map<number, number>> = [new Map()];
  const terminal: number[][] = [[]];
  literals.forEach((literal, index) => {
    let node = 0;
    for (let i = 0; i < literal.length; i++) {
      const c = classOf[literal.charCodeAt(i)] as number;
      let child = children[node]?.get(c);
      if (child === undefined) {
        child = children.length;
        children.push(new Map());
        terminal.push([]);
        children[node]?.set(c, child);
      }
      node = child;
    }
    terminal[node]?.push(index);
  });

  // Then the automaton, breadth first so that a node's fail state is complete before its
  // children copy from it. A node's outputs include those of its fail chain (its suffixes).
  const nodes = children.length;
  const delta = new Int32Array(nodes * classes);
  const fail = new Int32Array(nodes);
  const outputs: number[][] = terminal.map((t) => [...t]);
  const queue: number[] = [];
  for (const [c, child] of children[0] ?? []) {
    delta[c] = child;
    queue.push(child);
  }
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    const f = fail[node] as number;
    for (let c = 1; c < classes; c++) {
      const child = children[node]?.get(c);
      if (child === undefined) {
        delta[node * classes + c] = delta[f * classes + c] as number;
        continue;
      }
      delta[node * classes + c] = child;
      fail[child] = delta[f * classes + c] as number;
      outputs[child]?.push(...(outputs[fail[child] as number] ?? []));
      queue.push(child);
    }
  }

  return {
    scan(text) {
      const found = new Uint8Array(literals.length);
      const seen = new Uint8Array(nodes);
      let node = 0;
      for (let i = 0; i < text.length; i++) {
        node = delta[node * classes + (classOf[text.charCodeAt(i)] as number)] as number;
        if (seen[node] === 0) {
          seen[node] = 1;
          for (const index of outputs[node] as number[]) found[index] = 1;
        }
      }
      return found;
    },
  };
}

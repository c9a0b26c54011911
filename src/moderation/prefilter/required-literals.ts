import { type AST, RegExpParser } from '@eslint-community/regexpp';

/**
 * What a piece of a regular expression can match, as far as the prefilter cares: either the
 * complete, small set of strings it matches (`exact`), or a set of literals of which every
 * match contains at least one (`any`; `null` when nothing is known, e.g. `\w+` or `x?`).
 * This is the idea behind RE2's and Hyperscan's prefilters, kept to what Hearth's patterns use.
 */
type Info = { exact: Set<string> } | { any: Set<string> | null };

/** Past this many strings an exact set is turned into an `any` set, to bound the work. */
const MAX_EXACT = 64;
/** A character class with more members than this is treated as unknown (`[a-z]`, `\w`). */
const MAX_CLASS = 8;

const parser = new RegExpParser({ ecmaVersion: 2024 });

/**
 * Literals of which every match of `pattern` (compiled with the `u` flag, without `i`) contains
 * at least one; `undefined` when no such set exists (the pattern can match without any fixed
 * text). A post whose text contains none of them cannot match, so the regex need not run.
 */
export function requiredLiterals(pattern: string): string[] | undefined {
  const ast = parser.parsePattern(pattern, 0, pattern.length, { unicode: true });
  const literals = anyOf(alternation(ast.alternatives));
  return literals ? minimal([...literals]) : undefined;
}

function alternation(alternatives: AST.Alternative[]): Info {
  const infos = alternatives.map((a) => concatenation(a.elements));
  if (infos.every((i) => 'exact' in i)) {
    const union = new Set(infos.flatMap((i) => [...(i as { exact: Set<string> }).exact]));
    if (union.size <= MAX_EXACT) return { exact: union };
  }
  const union = new Set<string>();
  for (const info of infos) {
    const literals = anyOf(info);
    // One branch that can match without fixed text makes the whole alternation unknown.
    if (!literals) return { any: null };
    for (const l of literals) union.add(l);
  }
  return { any: union };
}

function concatenation(elements: AST.Element[]): Info {
  // Runs of exact pieces are multiplied out ("pain" + ("ful"|"s") = painful, pains); a piece
  // that is not exact ends the run. Every run and every inexact piece is a candidate, and
  // the most selective candidate is kept.
  const candidates: Array<Set<string> | null> = [];
  let run: Set<string> = new Set(['']);
  let allExact = true;
  for (const element of elements) {
    const info = infoOf(element);
    if ('exact' in info) {
      if (run.size * info.exact.size <= MAX_EXACT) {
        run = product(run, info.exact);
        continue;
      }
      candidates.push(anyOf({ exact: run }));
      run = info.exact;
      allExact = false;
      continue;
    }
    allExact = false;
    candidates.push(anyOf({ exact: run }), info.any);
    run = new Set(['']);
  }
  if (allExact) return { exact: run };
  candidates.push(anyOf({ exact: run }));
  return { any: mostSelective(candidates) };
}

function infoOf(element: AST.Element): Info {
  switch (element.type) {
    case 'Character':
      return { exact: new Set([String.fromCodePoint(element.value)]) };
    case 'Group':
    case 'CapturingGroup':
      return alternation(element.alternatives);
    case 'Assertion':
      // Zero width: ^, $, \b and lookarounds add no characters to a match.
      return { exact: new Set(['']) };
    case 'Quantifier':
      return quantified(element);
    case 'CharacterClass':
      return characterClass(element);
    default:
      // `.`, \s, \w, \p{…}, back-references: anything, as far as literals go.
      return { any: null };
  }
}

function quantified(q: AST.Quantifier): Info {
  const inner = infoOf(q.element);
  if (q.max === 0) return { exact: new Set(['']) };
  if (q.min === 0) {
    if (q.max === 1 && 'exact' in inner && inner.exact.size < MAX_EXACT) return { exact: new Set(['', ...inner.exact]) };
    return { any: null };
  }
  if ('exact' in inner && q.max === q.min && inner.exact.size ** q.min <= MAX_EXACT) {
    let run = new Set(['']);
    for (let i = 0; i < q.min; i++) run = product(run, inner.exact);
    return { exact: run };
  }
  // At least one repetition, so every match contains a match of the element.
  return { any: anyOf(inner) };
}

function characterClass(cls: AST.CharacterClass): Info {
  if (cls.negate) return { any: null };
  const chars = new Set<string>();
  for (const e of cls.elements) {
    if (e.type === 'Character') chars.add(String.fromCodePoint(e.value));
    else if (e.type === 'CharacterClassRange' && e.max.value - e.min.value < MAX_CLASS) {
      for (let c = e.min.value; c <= e.max.value; c++) chars.add(String.fromCodePoint(c));
    } else return { any: null };
    if (chars.size > MAX_CLASS) return { any: null };
  }
  return { exact: chars };
}

function product(a: Set<string>, b: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

/** The literals of which every match contains one; null when a match can be empty. */
function anyOf(info: Info): Set<string> | null {
  if ('any' in info) return info.any;
  for (const s of info.exact) if (s === '') return null;
  return info.exact;
}

/** The candidate whose shortest literal is longest (rarer in text), then the smallest set. */
function mostSelective(candidates: Array<Set<string> | null>): Set<string> | null {
  let best: Set<string> | null = null;
  let bestShortest = 0;
  for (const c of candidates) {
    if (!c || c.size === 0) continue;
    let shortest = Number.POSITIVE_INFINITY;
    for (const s of c) shortest = Math.min(shortest, s.length);
    if (!best || shortest > bestShortest || (shortest === bestShortest && c.size < best.size)) {
      best = c;
      bestShortest = shortest;
    }
  }
  return best;
}

/** Drops literals that contain another literal of the set: finding the shorter one suffices. */
function minimal(literals: string[]): string[] {
  const sorted = [...new Set(literals)].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const kept: string[] = [];
  for (const l of sorted) if (!kept.some((k) => l.includes(k))) kept.push(l);
  return kept;
}

import { type AST, RegExpParser } from '@eslint-community/regexpp';
import { alternation } from './alternation.ts';
import type { Lexicons } from './loader.ts';

/** One top-level alternative of a signal pattern. */
export interface PatternAlternative {
  /** The alternative as written in the policy file, `{{lexicon}}` references unexpanded. */
  text: string;
  /** What to compile to match this alternative alone: the flanks kept, word lists expanded. */
  source: string;
}

const parser = new RegExpParser({ ecmaVersion: 2024 });
const LEXICON_REF = /\{\{(\w+)\}\}/g;
// Private-use characters stand in for {{name}} while parsing: one atom each, so a word list is
// never split, and `{` does not trip the parser in unicode mode.
const PLACEHOLDER_BASE = 0xe000;

/**
 * Splits a signal pattern into the alternatives a rule author wrote, before word lists are
 * expanded: the top-level `|` branches, or, when the whole pattern is one group between
 * zero-width flanks (`\b(?:a|b|c)\b`), that group's branches with the flanks kept on each.
 * Anything else is one alternative. Throws a SyntaxError on an invalid pattern.
 */
export function patternAlternatives(pattern: string, lexicons: Lexicons): PatternAlternative[] {
  const names: string[] = [];
  const parsed = pattern.replace(LEXICON_REF, (_m, name: string) => {
    names.push(name);
    return String.fromCharCode(PLACEHOLDER_BASE + names.length - 1);
  });
  const ast = parser.parsePattern(parsed, 0, parsed.length, { unicode: true });
  const branches = splitPoint(ast);
  const restore = (s: string, expand: boolean) =>
    s.replace(/[\ue000-\uf8ff]/g, (c) => {
      const name = names[(c.codePointAt(0) ?? 0) - PLACEHOLDER_BASE] ?? '';
      if (!expand) return `{{${name}}}`;
      const words = lexicons[name];
      if (!words) throw new SyntaxError(`unknown word list {{${name}}}`);
      return alternation(words);
    });
  return branches.alternatives.map((a) => ({
    text: restore(a.raw, false),
    source: restore(`${branches.prefix}${a.raw}${branches.suffix}`, true),
  }));
}

interface Branches {
  alternatives: AST.Alternative[];
  prefix: string;
  suffix: string;
}

function splitPoint(ast: AST.Pattern): Branches {
  const [only] = ast.alternatives;
  if (ast.alternatives.length !== 1 || !only) return { alternatives: ast.alternatives, prefix: '', suffix: '' };
  const groups = only.elements.filter((e) => e.type === 'Group' || e.type === 'CapturingGroup');
  const [group] = groups;
  const flanksOnly = only.elements.every((e) => e === group || e.type === 'Assertion');
  if (groups.length !== 1 || !group || !flanksOnly || group.alternatives.length < 2) {
    return { alternatives: ast.alternatives, prefix: '', suffix: '' };
  }
  const raw = ast.raw;
  return {
    alternatives: group.alternatives,
    prefix: raw.slice(only.start, group.start),
    suffix: raw.slice(group.end, only.end),
  };
}

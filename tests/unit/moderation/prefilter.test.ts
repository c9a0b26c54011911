import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLiteralScanner } from '../../../src/moderation/prefilter/literal-scanner.ts';
import { requiredLiterals } from '../../../src/moderation/prefilter/required-literals.ts';
import { prepareText } from '../../../src/moderation/text/prepare-text.ts';
import { loadPolicySet } from '../../../src/policies/loader.ts';

/** The prefilter's promise: a text none of whose required literals occur cannot match. */
function admits(literals: string[] | undefined, text: string): boolean {
  return literals === undefined || literals.some((l) => text.includes(l));
}

describe('requiredLiterals', () => {
  it('multiplies out small alternations and keeps the rarest run', () => {
    expect(requiredLiterals('abc')).toEqual(['abc']);
    expect(requiredLiterals('a(?:b|c)d')?.sort()).toEqual(['abd', 'acd']);
    expect(requiredLiterals("\\bi(?:[''’]m| am) going\\b")?.sort()).toEqual(['i am going', "i'm going", 'i’m going']);
    // `\s+` breaks the run; the longer side is the more selective.
    expect(requiredLiterals('\\b(?:you|u)\\s+(?:idiot|moron)s?\\b')?.sort()).toEqual(['idiot', 'moron']);
  });

  it('admits it knows nothing when a match can avoid every literal', () => {
    expect(requiredLiterals('\\w+')).toBeUndefined();
    expect(requiredLiterals('(?:pain)?\\d+')).toBeUndefined();
    expect(requiredLiterals('pain|\\d')).toBeUndefined();
    expect(requiredLiterals('(?:ab)*')).toBeUndefined();
  });

  it('keeps only the shortest of literals that contain one another', () => {
    expect(requiredLiterals('(?:cure|cures|cured)')).toEqual(['cure']);
  });

  // Random patterns over a small alphabet, random texts over the same alphabet: whenever the
  // regex matches, one of the literals must be in the text.
  it('never rules out a text the pattern matches (property)', () => {
    const atom = fc.constantFrom('a', 'b', 'c', ' ', '[ab]', '[^a]', '.', '\\s', '\\w', '\\b', '(?=a)', '(?!b)', '(?<=c)', '^', '$');
    const pattern: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')),
        fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((parts) => `(?:${parts.join('|')})`),
        fc.tuple(tie('node'), fc.constantFrom('?', '*', '+', '{2}', '{1,3}', '{0}')).map(([inner, q]) => `(?:${inner})${q}`),
        tie('node').map((inner) => `(${inner})`),
      ),
    })).node;
    const text = fc.stringMatching(/^[abc d]{0,14}$/);
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 8 }), (source, texts) => {
        const literals = requiredLiterals(source);
        const re = new RegExp(source, 'u');
        for (const t of texts) if (re.test(t)) expect(admits(literals, t), `${source} on ${JSON.stringify(t)}`).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('holds for every signal of the shipped policies on the dev set', async () => {
    const { policies } = await loadPolicySet();
    const posts = readFileSync(new URL('../../../datasets/forum-posts.dev.jsonl', import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .map((line) => prepareText(JSON.parse(line).text, 'text').norm);
    let ruledOut = 0;
    for (const policy of policies) {
      for (const signal of policy.signals) {
        if (!signal.pattern) continue;
        const literals = requiredLiterals(signal.pattern);
        const re = new RegExp(signal.pattern, 'u');
        for (const norm of posts) {
          if (!admits(literals, norm)) ruledOut++;
          if (re.test(norm)) expect(admits(literals, norm), `${policy.id}/${signal.id}`).toBe(true);
        }
      }
    }
    // The point of it: most signals are skipped for most posts.
    expect(ruledOut).toBeGreaterThan(0);
  });
});

describe('createLiteralScanner', () => {
  it('finds every literal that occurs, overlapping ones included', () => {
    const literals = ['he', 'she', 'his', 'hers', 'pain', 'painkiller', 'kill'];
    const found = createLiteralScanner(literals).scan('ushers and painkillers');
    expect(literals.filter((_, i) => found[i] === 1)).toEqual(['he', 'she', 'hers', 'pain', 'painkiller', 'kill']);
  });

  it('agrees with String#includes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[abcé’]{1,5}$/), { minLength: 1, maxLength: 20 }),
        fc.array(fc.stringMatching(/^[abcdé’ ]{0,30}$/), { maxLength: 5 }),
        (literals, texts) => {
          const scanner = createLiteralScanner(literals);
          for (const t of texts) {
            const found = scanner.scan(t);
            expect([...found].map((f) => f === 1)).toEqual(literals.map((l) => t.includes(l)));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

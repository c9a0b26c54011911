import { describe, expect, it } from 'vitest';
import type { LinearModel } from '../../../src/moderation/model/linear-model.ts';
import { type LintInput, type LintPolicy, lintInputOf, lintPolicies } from '../../../src/policies/lint-policies.ts';
import { loadPolicySet, readPolicyFiles } from '../../../src/policies/loader.ts';
import { patternAlternatives } from '../../../src/policies/pattern-alternatives.ts';

const lexicons = { remedies: ['turpentine', 'kerosene'], stop_words: ['i', 'just', 'the', 'you'] };
const stopWords = new Set(lexicons.stop_words);

/** One policy file whose signal patterns are the ones under test; no examples unless given. */
function policy(patterns: Record<string, string>, examples: LintPolicy['examples'] = { flagged: [], not_flagged: [] }): LintPolicy {
  return { file: 'unsafe_medical_advice.yaml', signals: Object.entries(patterns).map(([id, pattern]) => ({ id, pattern })), examples };
}

function input(policies: LintPolicy[], overrides: Partial<LintInput> = {}): LintInput {
  return {
    policies,
    lexicons,
    stopWords,
    datasets: [
      {
        source: 'datasets/a.jsonl',
        posts: [
          { id: 'a-1', text: 'Just drink a spoon of turpentine, it clears parasites.' },
          { id: 'a-2', text: 'Rub kerosene on the joint every night.' },
          { id: 'a-3', text: 'My rheumy never has to know about the extra tablets.' },
          { id: 'a-4', text: 'Arrête de te plaindre.' },
        ],
      },
      {
        source: 'datasets/b.jsonl',
        posts: [
          { id: 'b-1', text: 'Someone told me turpentine on sugar cures worms, please no.' },
          { id: 'b-2', text: 'Kerosene is for lamps.' },
        ],
      },
    ],
    ...overrides,
  };
}

const alternatives = (findings: Array<{ alternative: string }>) => findings.map((f) => f.alternative);

describe('one-post and single-source alternatives', () => {
  it('reports an alternative written around one post, with that post', () => {
    const report = lintPolicies(input([policy({ 'hidden-dose': '\\b(?:rheumy never has to know|turpentine)\\b' })]));
    expect(report.onePost).toEqual([
      {
        file: 'unsafe_medical_advice.yaml',
        signal: 'hidden-dose',
        alternative: 'rheumy never has to know',
        posts: [{ source: 'datasets/a.jsonl', id: 'a-3' }],
        sources: ['datasets/a.jsonl'],
      },
    ]);
    expect(alternatives(report.singleSource)).toEqual([]);
  });

  it('passes an alternative matched by posts from two sources', () => {
    const report = lintPolicies(input([policy({ remedy: '\\bturpentine\\b' })]));
    expect([...report.onePost, ...report.singleSource, ...report.unsupported]).toEqual([]);
    expect(report.alternatives).toEqual({ 'unsafe_medical_advice.yaml': 1 });
  });

  it('reports an alternative whose posts all come from one source', () => {
    const report = lintPolicies(input([policy({ joint: 'rub \\w+ on|drink a spoon' })]));
    expect(alternatives(report.onePost)).toEqual(['rub \\w+ on', 'drink a spoon']);
    const onlyInA = lintPolicies(input([policy({ a: '(?:rub|my rheumy) \\w+' })]));
    expect(onlyInA.onePost).toEqual([]);
    expect(onlyInA.singleSource).toEqual([
      expect.objectContaining({
        alternative: '(?:rub|my rheumy) \\w+',
        posts: [
          { source: 'datasets/a.jsonl', id: 'a-2' },
          { source: 'datasets/a.jsonl', id: 'a-3' },
        ],
        sources: ['datasets/a.jsonl'],
      }),
    ]);
  });

  it("counts a policy's own examples as one source named after the file", () => {
    const examples = { flagged: ['Take turpentine daily, it cures everything'], not_flagged: ['I cleaned brushes with turpentine'] };
    const report = lintPolicies(input([policy({ daily: 'turpentine daily|turpentine\\b[^.]*\\bbrushes' }, examples)]));
    expect(report.onePost.map((f) => f.posts)).toEqual([[{ source: 'unsafe_medical_advice.yaml', id: 'flagged.0' }]]);
    const twice = lintPolicies(input([policy({ cures: 'turpentine\\b.*\\bcures' }, examples)]));
    expect(twice.singleSource).toEqual([]);
    expect(twice.onePost).toEqual([]);
  });

  it('matches the matching view: lower-cased, accents folded', () => {
    const report = lintPolicies(input([policy({ fr: 'arrete de te plaindre|rheumy' })]));
    expect(report.onePost.map((f) => f.posts[0]?.id)).toEqual(['a-4', 'a-3']);
  });

  it('lists alternatives no post matches as unsupported, apart from the others', () => {
    const report = lintPolicies(input([policy({ bleach: '\\b(?:drink bleach|turpentine)\\b' })]));
    expect(alternatives(report.unsupported)).toEqual(['drink bleach']);
    expect([...report.onePost, ...report.singleSource]).toEqual([]);
  });

  it('expands word lists after splitting, so a list is one alternative', () => {
    const report = lintPolicies(input([policy({ remedy: '\\b(?:{{remedies}}|rheumy)\\b' })]));
    expect(alternatives(report.onePost)).toEqual(['rheumy']);
    expect(report.alternatives['unsafe_medical_advice.yaml']).toBe(2);
  });

  it('names the file of a pattern with an unknown word list', () => {
    expect(() => lintPolicies(input([policy({ x: '{{nonsense}}|a' })]))).toThrow(
      /unsafe_medical_advice\.yaml: signals\.0\.pattern: unknown word list/,
    );
  });
});

describe('pattern alternatives', () => {
  it('splits the top-level branches', () => {
    expect(patternAlternatives('a+b|\\bc(?:d|e)', {})).toEqual([
      { text: 'a+b', source: 'a+b' },
      { text: '\\bc(?:d|e)', source: '\\bc(?:d|e)' },
    ]);
  });

  it("splits a whole-pattern group's branches and keeps the flanks on each", () => {
    expect(patternAlternatives('\\b(?:x y|{{remedies}})\\b', lexicons)).toEqual([
      { text: 'x y', source: '\\bx y\\b' },
      { text: '{{remedies}}', source: '\\b(?:turpentine|kerosene)\\b' },
    ]);
  });

  it('keeps a pattern of several pieces whole', () => {
    expect(patternAlternatives('\\b(?:a|b) (?:c|d)\\b', {}).map((a) => a.text)).toEqual(['\\b(?:a|b) (?:c|d)\\b']);
  });
});

describe('stop words among the heaviest model features', () => {
  /** A model whose heaviest word features carry harm: `w:word0` … `w:word24`, heaviest first. */
  function model(extra: Record<string, number> = {}): LinearModel {
    const weights: Record<string, number> = { bias: -2, 'f:directive': 9, 's:unsafe_medical_advice/remedy': 8, 'w:the': -3 };
    for (let i = 0; i < 25; i++) weights[`w:word${i}`] = 5 - i * 0.1;
    return { format: 'hearth-linear-model/1', trained_on: [], policies: { unsafe_medical_advice: { weights: { ...weights, ...extra } } } };
  }

  it('passes a model whose heavy features are words that carry harm, and a stop word weighing against', () => {
    expect(lintPolicies(input([], { model: model() })).stopWords).toEqual([]);
    const small: LinearModel = { ...model(), policies: { hostility: { weights: { 'w:idiot': 2, 'w:the': -3 } } } };
    expect(lintPolicies(input([], { model: small })).stopWords).toEqual([]);
  });

  it('reports a stop word planted at the top of a copy of the model', () => {
    const planted = structuredClone(model());
    const weights = planted.policies.unsafe_medical_advice?.weights ?? {};
    weights['w:just'] = 6;
    expect(lintPolicies(input([], { model: planted })).stopWords).toEqual([
      { policy: 'unsafe_medical_advice', features: [{ feature: 'w:just', weight: 6, rank: 1 }] },
    ]);
  });

  it('reports directive words and pairs made only of stop words, not a pair with one', () => {
    const report = lintPolicies(input([], { model: model({ 'd:you': 4.95, 'b:i_just': 4.85, 'b:you_idiot': 5.5 }) }));
    expect(report.stopWords[0]?.features.map((f) => [f.feature, f.rank])).toEqual([
      ['d:you', 3],
      ['b:i_just', 5],
    ]);
  });

  it('looks only at the 20 heaviest word features', () => {
    expect(lintPolicies(input([], { model: model({ 'w:the': 3.15 }) })).stopWords[0]?.features).toEqual([
      { feature: 'w:the', weight: 3.15, rank: 20 },
    ]);
    expect(lintPolicies(input([], { model: model({ 'w:the': 3.05 }) })).stopWords).toEqual([]);
  });
});

describe("the lint's view of the repository's policy files", () => {
  it('keeps patterns as written, with the word lists and stop words they refer to', async () => {
    const files = await readPolicyFiles();
    const set = await loadPolicySet();
    const view = lintInputOf(files, set, []);
    expect(view.policies.map((p) => p.file)).toEqual(set.policies.map((p) => `${p.id}.yaml`));
    const patterns = view.policies.flatMap((p) => p.signals.map((s) => s.pattern ?? ''));
    expect(patterns.some((p) => p.includes('{{'))).toBe(true);
    for (const name of patterns.flatMap((p) => [...p.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? ''))) {
      expect(view.lexicons[name], name).toBeDefined();
    }
    expect(view.stopWords).toBe(set.knowledge.stopWords);
  });
});

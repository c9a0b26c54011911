import { describe, expect, it } from 'vitest';
import { DatasetError, parseDataset, readDataset } from '../../../src/evaluation/dataset.ts';

const jsonl = (...rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

describe('parseDataset', () => {
  it('reads posts with their line numbers, skipping blank lines and ignoring extra fields', () => {
    const content = `\uFEFF${jsonl({ id: 'a', text: 'first', labels: [], note: 'a clean post' }, '', '   ', {
      id: 'b',
      text: 'second',
      labels: ['hostility', 'privacy_leak'],
      format: 'markdown',
    })}\r\n{"id":"c","text":"","labels":["self_harm"]}\r\n`;
    const { posts, problems } = parseDataset(content, { labelled: true });
    expect(problems).toEqual([]);
    expect(posts).toEqual([
      { line: 1, id: 'a', text: 'first', labels: [] },
      { line: 4, id: 'b', text: 'second', labels: ['hostility', 'privacy_leak'], format: 'markdown' },
      { line: 5, id: 'c', text: '', labels: ['self_harm'] },
    ]);
  });

  it('reports unparseable lines and missing or invalid fields with their line numbers', () => {
    const { posts, problems } = parseDataset(
      jsonl(
        { id: 'ok', text: 'fine' },
        '{"id": "broken", "text": ',
        '["not", "an", "object"]',
        { text: 'no id' },
        { id: '', text: 'empty id' },
        { id: 'no-text' },
        { id: 'num-text', text: 42 },
        { id: 'fmt', text: 'x', format: 'rtf' },
      ),
    );
    expect(posts.map((p) => p.id)).toEqual(['ok']);
    expect(problems).toEqual([
      { line: 2, message: expect.stringMatching(/^not valid JSON/) },
      { line: 3, message: 'expected a JSON object' },
      { line: 4, message: '"id" is missing' },
      { line: 5, message: '"id" must be a non-empty string' },
      { line: 6, message: '"text" is missing' },
      { line: 7, message: '"text" must be a string' },
      { line: 8, message: '"format" must be one of text, markdown, html' },
    ]);
  });

  it('reports unknown, repeated and missing labels when labels are required', () => {
    const { posts, problems } = parseDataset(
      jsonl(
        { id: 'a', text: 'x', labels: ['hostility', 'rudeness'] },
        { id: 'b', text: 'x', labels: ['self_harm', 'self_harm'] },
        { id: 'c', text: 'x' },
        { id: 'd', text: 'x', labels: 'hostility' },
        { id: 'e', text: 'x', labels: [3] },
        { id: 'f', text: 'x', labels: ['misinformation'] },
      ),
      { labelled: true },
    );
    expect(posts.map((p) => p.id)).toEqual(['f']);
    expect(problems).toEqual([
      { line: 1, message: expect.stringMatching(/^unknown label "rudeness" \(known: misinformation, .*self_harm\)$/) },
      { line: 2, message: 'label "self_harm" is repeated' },
      { line: 3, message: '"labels" is missing (use [] for a clean post)' },
      { line: 4, message: '"labels" must be an array of policy ids' },
      { line: 5, message: expect.stringMatching(/^unknown label 3 /) },
    ]);
  });

  it('reports a duplicate id with the line of its first use, even when that line has other problems', () => {
    const { posts, problems } = parseDataset(
      jsonl({ id: 'dup', text: 'x', labels: ['nope'] }, { id: 'other', text: 'x', labels: [] }, { id: 'dup', text: 'y', labels: [] }),
      { labelled: true },
    );
    expect(posts.map((p) => p.id)).toEqual(['other']);
    expect(problems).toEqual([
      { line: 1, message: expect.stringMatching(/^unknown label "nope"/) },
      { line: 3, message: 'duplicate id "dup" (first on line 1)' },
    ]);
  });

  it('needs only id and text for scoring: labels are ignored and ids may repeat', () => {
    const { posts, problems } = parseDataset(jsonl({ id: 'a', text: 'x', labels: ['whatever'] }, { id: 'a', text: 'y' }));
    expect(problems).toEqual([]);
    expect(posts).toEqual([
      { line: 1, id: 'a', text: 'x' },
      { line: 2, id: 'a', text: 'y' },
    ]);
  });
});

describe('readDataset', () => {
  it('throws one DatasetError naming the source and each problem line', () => {
    const read = () =>
      readDataset(jsonl({ id: 'a', text: 'x', labels: [] }, 'oops', { id: 'a', text: 'y', labels: [] }), 'set.jsonl', { labelled: true });
    expect(read).toThrow(DatasetError);
    try {
      read();
    } catch (err) {
      expect((err as DatasetError).problems.map((p) => p.line)).toEqual([2, 3]);
      const [first, second, ...rest] = (err as Error).message.split('\n');
      expect(first).toMatch(/^set\.jsonl line 2: not valid JSON \(.+\)$/);
      expect(second).toBe('set.jsonl line 3: duplicate id "a" (first on line 1)');
      expect(rest).toEqual([]);
    }
  });

  it('refuses an empty labelled dataset but scores an empty input as nothing', () => {
    expect(() => readDataset('\n\n', 'empty.jsonl', { labelled: true })).toThrow('empty.jsonl: no posts');
    expect(readDataset('', 'stdin')).toEqual([]);
  });

  it('lists at most 20 problems and counts the rest', () => {
    const content = Array.from({ length: 25 }, () => 'not json').join('\n');
    try {
      readDataset(content, 'junk.jsonl');
      expect.unreachable();
    } catch (err) {
      const lines = (err as Error).message.split('\n');
      expect(lines).toHaveLength(21);
      expect(lines[19]).toMatch(/^junk\.jsonl line 20: not valid JSON/);
      expect(lines[20]).toBe('junk.jsonl: … and 5 more problems');
      expect((err as DatasetError).problems).toHaveLength(25);
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PreparedText, prepareText, type TextFormat, toOriginalSpan } from '../../../src/moderation/text/prepare-text.ts';

/** The original text behind the first match of `needle` in a view; fails the test when there is none. */
function originalOf(prepared: PreparedText, view: 'plain' | 'norm', needle: string): string {
  const text = prepared[view];
  const at = text.indexOf(needle);
  expect(at, `${JSON.stringify(needle)} in ${view} ${JSON.stringify(text)}`).toBeGreaterThanOrEqual(0);
  const span = toOriginalSpan(view === 'plain' ? prepared.plainMap : prepared.normMap, at, at + needle.length);
  return prepared.original.slice(span.start, span.end);
}

describe('leetspeak and doses', () => {
  it('reads disguised words back and maps them to the disguise', () => {
    const p = prepareText('honestly you 1d10t, go k1ll the vibe elsewhere, st*pid $hit');
    expect(p.norm).toBe('honestly you idiot, go kill the vibe elsewhere, stupid shit');
    expect(originalOf(p, 'norm', 'idiot')).toBe('1d10t');
    expect(originalOf(p, 'norm', 'kill')).toBe('k1ll');
    expect(originalOf(p, 'norm', 'stupid')).toBe('st*pid');
    expect(originalOf(p, 'norm', 'shit')).toBe('$hit');
  });

  it('leaves numbers, doses, times and quantities alone', () => {
    const body = 'I take 300mg gabapentin 2x a day at 3am, 10mcg B12, 5000mcg D3, on it 24/7. Cost £80, was $60. Ring 07700 900461.';
    const p = prepareText(body);
    expect(p.plain).toBe(body);
    for (const token of ['300mg', '2x', '3am', '10mcg', 'b12', '5000mcg', 'd3', '24/7', '£80', '$60', '07700 900461']) {
      expect(p.norm).toContain(token);
    }
    expect(originalOf(p, 'plain', '07700 900461')).toBe('07700 900461');
    expect(originalOf(p, 'norm', '300mg')).toBe('300mg');
  });

  it('fills in masked words only when one word fits', () => {
    expect(prepareText('f*** this flare').norm).toBe('fuck this flare');
    expect(prepareText('*sigh* again').norm).toBe('*sigh* again');
    expect(prepareText('2 * 500mg').norm).toBe('2 * 500mg');
  });
});

describe('evasions', () => {
  it('drops zero-width characters and soft hyphens inside a word', () => {
    const p = prepareText('what an id\u200Biot, a real mo\u00ADron');
    expect(p.norm).toBe('what an idiot, a real moron');
    expect(originalOf(p, 'norm', 'idiot')).toBe('id\u200Biot');
    expect(originalOf(p, 'norm', 'moron')).toBe('mo\u00ADron');
  });

  it('maps homoglyphs and fullwidth forms to Latin', () => {
    const p = prepareText('\u0456diot and ｉｄｉｏｔ and \u0441\u043E\u0440e');
    expect(p.norm).toBe('idiot and idiot and cope');
    expect(originalOf(p, 'norm', 'idiot')).toBe('\u0456diot');
    expect(originalOf(p, 'norm', 'cope')).toBe('\u0441\u043E\u0440e');
  });

  it('joins letters spaced out to evade filters, one word at a time', () => {
    const p = prepareText('just k i l l it, you i.d.i.o.t, s-t-u-p-i-d');
    expect(p.norm).toBe('just kill it, you idiot, stupid');
    expect(originalOf(p, 'norm', 'kill')).toBe('k i l l');
    expect(originalOf(p, 'norm', 'idiot')).toBe('i.d.i.o.t');
    expect(originalOf(p, 'norm', 'stupid')).toBe('s-t-u-p-i-d');
    expect(prepareText('k i l l   i.d.i.o.t').norm).toBe('kill   idiot');
  });

  it('does not join ordinary single letters or numbers', () => {
    expect(prepareText('I am a mess, plan a b').norm).toBe('i am a mess, plan a b');
    expect(prepareText('rate it 1 2 3 or 5 x 3 x 2').norm).toBe('rate it 1 2 3 or 5 x 3 x 2');
  });

  it('shortens runs of one letter, not of digits', () => {
    const p = prepareText('sooooo stuuupid, 1000mg');
    expect(p.norm).toBe('soo stuupid, 1000mg');
    expect(originalOf(p, 'norm', 'stuupid')).toBe('stuuupid');
  });

  it('folds diacritics and keeps each letter on its source', () => {
    const p = prepareText('Café niño über Straße');
    expect(p.norm).toBe('cafe nino uber strasse');
    expect(originalOf(p, 'norm', 'strasse')).toBe('Straße');
    expect(originalOf(p, 'norm', 'cafe')).toBe('Café');
  });

  it('keeps emoji whole', () => {
    const p = prepareText('ugh 😭 again');
    expect(originalOf(p, 'norm', '😭')).toBe('😭');
  });
});

describe('quotations', () => {
  it('blanks lines starting with ">" in every format', () => {
    for (const format of ['text', 'markdown', 'html'] as const) {
      const body = '> you are an idiot\n  > so say we all\nI disagree with that';
      const p = prepareText(body, format);
      expect(p.norm, format).not.toContain('idiot');
      expect(p.plain, format).toContain('I disagree with that');
      expect(p.quoted, format).toEqual([
        [0, 18],
        [19, 36],
      ]);
    }
  });

  it('blanks [quote] BBCode, named, Discourse-style and nested, markers included', () => {
    const body = 'before [quote="pain_pal, post:3, topic:12"]you idiot [quote]deeper[/quote] still[/quote] after [QUOTE=sam]moron[/QUOTE]';
    const p = prepareText(body);
    expect(p.plain.trim().split(/\s+/)).toEqual(['before', 'after']);
    expect(p.plain).toHaveLength(body.length);
    expect(p.quoted.map(([s, e]) => body.slice(s, e))).toEqual([
      '[quote="pain_pal, post:3, topic:12"]you idiot [quote]deeper[/quote] still[/quote]',
      '[QUOTE=sam]moron[/QUOTE]',
    ]);
  });

  it('does not treat an unclosed [quote] as a quotation', () => {
    const p = prepareText('[quote] you idiot and nothing closes it');
    expect(p.quoted).toEqual([]);
    expect(p.norm).toContain('idiot');
  });
});

describe('markdown', () => {
  it('keeps link text, drops URLs, images, emphasis, code ticks, headings and bullets', () => {
    const body = [
      '# My **update**',
      'Read [this pacing guide](https://example.org/idiot-proof) ![chart](chart.png) and ~~ignore~~ _the_ `300mg` note.',
      '- first',
      '* second',
    ].join('\n');
    const p = prepareText(body, 'markdown');
    expect(p.plain).toBe('My update\nRead this pacing guide  and ignore the 300mg note.\n first\n second');
    expect(p.norm).not.toContain('example');
    expect(originalOf(p, 'plain', 'this pacing guide')).toBe('this pacing guide');
    expect(originalOf(p, 'plain', 'update')).toBe('update');
  });

  it('maps a match across removed emphasis back to the whole original run', () => {
    const p = prepareText('you are **an idiot** honestly', 'markdown');
    expect(p.plain).toBe('you are an idiot honestly');
    expect(originalOf(p, 'norm', 'an idiot')).toBe('an idiot');
    expect(originalOf(p, 'norm', 'are an')).toBe('are **an');
  });

  it('keeps fenced code as text, and a ">" inside it is not a quote', () => {
    const p = prepareText('```\n> my own line\n**not bold**\n```\nafter', 'markdown');
    expect(p.quoted).toEqual([]);
    expect(p.plain).toBe('\n> my own line\n**not bold**\n\nafter');
  });

  it('leaves stars that are not emphasis', () => {
    const body = 'f*** this, 2 * 500mg, st*pid';
    expect(prepareText(body, 'markdown').plain).toBe(body);
  });

  it('strips nothing but quotes from plain text', () => {
    const body = 'f*** this **really** [not a link](x) # 2 * 500mg';
    expect(prepareText(body, 'text').plain).toBe(body);
  });
});

describe('html', () => {
  it('decodes entities onto the first index of each entity', () => {
    const body = '<p>Caf&eacute; &amp; tea &#233;&#x1F600; &lt;3&nbsp;x &bogus;</p>';
    const p = prepareText(body, 'html');
    expect(p.plain).toBe('\nCafé & tea é😀 <3\u00A0x &bogus;\n');
    const e = p.plain.indexOf('é');
    expect(p.plainMap[e]).toBe(body.indexOf('&eacute;'));
    const amp = p.plain.indexOf('&');
    expect(body.slice(p.plainMap[amp])).toMatch(/^&amp;/);
    expect(p.norm).toContain('cafe & tea e😀 <3 x');
  });

  it('reports evidence in the original HTML, tags and all', () => {
    const body = '<div>You <b>id</b>iot, <i>k1ll</i> it</div>';
    const p = prepareText(body, 'html');
    expect(p.norm).toBe('\nyou idiot, kill it\n');
    expect(originalOf(p, 'norm', 'idiot')).toBe('id</b>iot');
    expect(originalOf(p, 'norm', 'kill')).toBe('k1ll');
  });

  it('turns block tags into newlines mapped to the tag', () => {
    const body = 'kill<br>me<p>now</p>';
    const p = prepareText(body, 'html');
    expect(p.plain).toBe('kill\nme\nnow\n');
    expect(p.plainMap[4]).toBe(body.indexOf('<br>'));
    expect(p.plainMap[7]).toBe(body.indexOf('<p>'));
  });

  it('blanks blockquotes and "&gt;" lines, and drops scripts and styles', () => {
    const body = '<blockquote><p>you idiot</p></blockquote><p>&gt; moron too</p><script>idiot()</script><style>.idiot{}</style><p>mine</p>';
    const p = prepareText(body, 'html');
    expect(p.norm).not.toMatch(/idiot|moron/);
    expect(p.norm.trim()).toBe('mine');
    expect(p.quoted.map(([s, e]) => body.slice(s, e))).toEqual(['<blockquote><p>you idiot</p></blockquote>', '&gt; moron too']);
  });

  it('keeps a "<" that starts no tag', () => {
    expect(prepareText('I <3 this group, 2 < 3', 'html').plain).toBe('I <3 this group, 2 < 3');
  });
});

describe('toOriginalSpan', () => {
  it('maps an empty span to a point and refuses spans outside the view', () => {
    const p = prepareText('abc');
    expect(toOriginalSpan(p.normMap, 1, 1)).toEqual({ start: 1, end: 1 });
    expect(toOriginalSpan(p.normMap, 3, 3)).toEqual({ start: 3, end: 3 });
    expect(() => toOriginalSpan(p.normMap, 2, 4)).toThrow(RangeError);
    expect(() => toOriginalSpan(p.normMap, 2, 1)).toThrow(RangeError);
  });
});

const piece = fc.oneof(
  fc.constantFrom(
    '<p>',
    '</p>',
    '<br>',
    '<b>',
    '<blockquote>',
    '</blockquote>',
    '<script>',
    '</script>',
    '<!--',
    '&amp;',
    '&eacute;',
    '&#x1F600;',
    '&#0;',
    '&#150;',
    '&bogus;',
    '[quote]',
    '[/quote]',
    '[quote="a, post:1"]',
    '> ',
    '\n',
    '**',
    '*',
    '_',
    '`',
    '```',
    '[x](y)',
    '![a](b)',
    '# ',
    '- ',
    '1d10t',
    'k i l l',
    'i.d.i.o.t',
    '300mg',
    '\u200B',
    '\u00AD',
    '\u0456',
    'Ｉ',
    'ß',
    'ﬁ',
    'e\u0301',
    '😀',
    '\uD800',
    '\uDC00',
    'sooooo',
    ' ',
    '$',
    '@',
    '!',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
);

function expectValidMap(map: Int32Array, viewLength: number, originalLength: number): void {
  expect(map).toHaveLength(viewLength + 1);
  expect(map[viewLength]).toBe(originalLength);
  for (let i = 0; i < map.length; i++) {
    const at = map[i] as number;
    expect(at).toBeGreaterThanOrEqual(i > 0 ? (map[i - 1] as number) : 0);
    expect(at).toBeLessThanOrEqual(originalLength);
  }
}

describe('offset maps (property)', () => {
  it('are non-decreasing, within the original, and one longer than their view', () => {
    fc.assert(
      fc.property(fc.string({ unit: piece, maxLength: 30 }), fc.constantFrom<TextFormat>('text', 'markdown', 'html'), (body, format) => {
        const p = prepareText(body, format);
        expectValidMap(p.plainMap, p.plain.length, body.length);
        expectValidMap(p.normMap, p.norm.length, body.length);
        let previousEnd = 0;
        for (const [start, end] of p.quoted) {
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          expect(end).toBeGreaterThan(start);
          expect(end).toBeLessThanOrEqual(body.length);
          previousEnd = end;
        }
        for (let i = 0; i < p.norm.length; i++) {
          const span = toOriginalSpan(p.normMap, i, i + 1);
          expect(span.end).toBeGreaterThan(span.start);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('in plain text, every plain character is its original or a blank in a quote', () => {
    fc.assert(
      fc.property(fc.string({ unit: piece, maxLength: 30 }), (body) => {
        const p = prepareText(body, 'text');
        expect(p.plain).toHaveLength(body.length);
        for (let i = 0; i < p.plain.length; i++) {
          if (p.plain[i] !== body[i]) expect(p.plain[i]).toBe(' ');
        }
      }),
      { numRuns: 300 },
    );
  });
});

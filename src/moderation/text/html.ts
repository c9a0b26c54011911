import { decodeEntityAt } from './html-entities.ts';
import { Edits, type Markup } from './mapped-text.ts';

// Tags that start a new line when rendered; replacing them with '\n' keeps "<p>kill</p><p>me</p>"
// from reading as "killme", and lets '>' quote lines be found at the start of rendered lines.
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

const TAG_NAME = /[A-Za-z][A-Za-z0-9-]*/y;
const RAW_TEXT_END = { script: /<\/script\s*>/gi, style: /<\/style\s*>/gi } as const;

/**
 * Plans the reduction of an HTML body to its visible text: tags dropped (block tags become a
 * newline), script and style contents dropped, character references decoded. Also returns the
 * ranges of balanced <blockquote> elements.
 */
export function reduceHtml(source: string): Markup {
  const edits = new Edits(source);
  const quoted: Array<[number, number]> = [];
  const openQuotes: number[] = [];
  // Jump between the only two characters that start markup; text in between is kept as is.
  let nextTag = source.indexOf('<');
  let nextEntity = source.indexOf('&');
  for (let i = 0; ; ) {
    if (nextTag >= 0 && nextTag < i) nextTag = source.indexOf('<', i);
    if (nextEntity >= 0 && nextEntity < i) nextEntity = source.indexOf('&', i);
    if (nextTag < 0 && nextEntity < 0) break;
    i = nextTag < 0 ? nextEntity : nextEntity < 0 ? nextTag : Math.min(nextTag, nextEntity);
    if (i === nextEntity) {
      const entity = decodeEntityAt(source, i);
      if (entity) {
        edits.replace(i, entity.end, entity.text);
        i = entity.end;
        continue;
      }
    } else {
      const tag = readTag(source, i);
      if (tag) {
        let end = tag.end;
        if (!tag.closing && (tag.name === 'script' || tag.name === 'style')) end = rawTextEnd(source, end, tag.name);
        if (BLOCK_TAGS.has(tag.name)) edits.replace(i, end, '\n');
        else edits.drop(i, end);
        if (tag.name === 'blockquote') {
          if (!tag.closing) openQuotes.push(i);
          else {
            const start = openQuotes.pop();
            if (start !== undefined) quoted.push([start, end]);
          }
        }
        i = end;
        continue;
      }
    }
    i++;
  }
  // An unclosed <blockquote> is not treated as a quote: it would let a post exempt all of its
  // own text from scoring by opening one and never closing it.
  return { edits, quoted, literal: null };
}

interface Tag {
  name: string;
  closing: boolean;
  end: number;
}

// Reads a tag, comment or declaration at `start` ('<'); null when the '<' is just text.
function readTag(source: string, start: number): Tag | null {
  const next = source[start + 1];
  if (source.startsWith('<!--', start)) {
    const close = source.indexOf('-->', start + 4);
    return { name: '!--', closing: false, end: close < 0 ? source.length : close + 3 };
  }
  if (next === '!' || next === '?') {
    const close = source.indexOf('>', start);
    return close < 0 ? null : { name: next, closing: false, end: close + 1 };
  }
  const closing = next === '/';
  TAG_NAME.lastIndex = start + (closing ? 2 : 1);
  const name = TAG_NAME.exec(source)?.[0];
  if (name === undefined) return null;
  // Attribute values may hold '>' inside quotes.
  let quote = '';
  for (let j = TAG_NAME.lastIndex; j < source.length; j++) {
    const c = source[j];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return { name: name.toLowerCase(), closing, end: j + 1 };
    else if (c === '<') return null;
  }
  return null;
}

function rawTextEnd(source: string, from: number, name: 'script' | 'style'): number {
  const close = RAW_TEXT_END[name];
  close.lastIndex = from;
  const m = close.exec(source);
  return m ? m.index + m[0].length : source.length;
}

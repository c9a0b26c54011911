import { findEmails, findStreetAddresses } from '../moderation/detectors/personal-data.ts';
import { findPhones } from '../moderation/detectors/phone.ts';
import { foldCodePoint } from '../moderation/text/fold.ts';
import type { Evidence } from '../moderation/types.ts';

const MASK = '•';

/**
 * The text as the scorer folds characters (NFKC: fullwidth digits to ASCII; zero-width and other
 * format characters dropped; Cyrillic and Greek look-alikes to Latin), with each unit's index in
 * the original. ASCII is kept as written, so the detectors see the casing addresses need.
 */
function foldedView(text: string): { text: string; map: number[] } {
  const parts: string[] = [];
  const map: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    const folded = cp < 0x80 ? text[i] : foldCodePoint(cp);
    for (let k = 0; k < (folded?.length ?? 0); k++) map.push(i);
    parts.push(folded ?? '');
    i += width;
  }
  return { text: parts.join(''), map };
}

/**
 * Masks e-mail addresses, phone numbers and street addresses for readers who may audit
 * decisions but not see members' contact details. Found in the text as written and in the
 * scorer's folded form of it, so a contact disguised with zero-width characters, fullwidth
 * digits or look-alike letters (which the privacy policy flags) is masked too. Each masked
 * character becomes one bullet, spaces kept, so text keeps its length and evidence offsets
 * still line up.
 */
export function maskPersonalData(text: string): string {
  if (text === '') return text;
  const spans = [...findEmails(text), ...findPhones(text), ...findStreetAddresses(text)];
  const view = foldedView(text);
  if (view.text !== text) {
    for (const s of [...findEmails(view.text), ...findPhones(view.text), ...findStreetAddresses(view.text)]) {
      if (s.end <= s.start) continue;
      const start = view.map[s.start] as number;
      const last = view.map[s.end - 1] as number;
      spans.push({ start, end: last + ((text.codePointAt(last) as number) > 0xffff ? 2 : 1) });
    }
  }
  if (spans.length === 0) return text;
  const chars = text.split('');
  for (const { start, end } of spans) {
    for (let i = start; i < end; i++) if (!/\s/.test(chars[i] ?? '')) chars[i] = MASK;
  }
  return chars.join('');
}

/**
 * The keys of audit event payloads that hold words a person wrote (a moderator's note, a reason
 * given); ids and hashes are left alone, since a masked hash could no longer be checked.
 */
const FREE_TEXT_KEYS = new Set(['note', 'reason', 'message', 'comment', 'rationale', 'text', 'body', 'title']);

/** An audit event's payload with every free-text field (at any depth) masked as `maskPersonalData` does. */
export function maskAuditPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (typeof value === 'string') return key !== undefined && FREE_TEXT_KEYS.has(key) ? maskPersonalData(value) : value;
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(payload, undefined) as Record<string, unknown>;
}

/** Evidence re-cut from the masked text, so no span shows what the text hides. */
export function maskEvidence(evidence: readonly Evidence[], masked: { body: string; title: string | null }): Evidence[] {
  return evidence.map((e) => ({ ...e, text: (e.field === 'title' ? (masked.title ?? '') : masked.body).slice(e.start, e.end) }));
}

import { findEmails, findStreetAddresses } from '../moderation/detectors/personal-data.ts';
import { findPhones } from '../moderation/detectors/phone.ts';
import type { Evidence } from '../moderation/types.ts';

const MASK = '•';

/**
 * Masks e-mail addresses, phone numbers and street addresses for readers who may audit
 * decisions but not see members' contact details. Each masked character becomes one bullet,
 * spaces kept, so text keeps its length and evidence offsets still line up.
 */
export function maskPersonalData(text: string): string {
  const spans = [...findEmails(text), ...findPhones(text), ...findStreetAddresses(text)];
  if (spans.length === 0) return text;
  const chars = text.split('');
  for (const { start, end } of spans) {
    for (let i = start; i < end; i++) if (!/\s/.test(chars[i] ?? '')) chars[i] = MASK;
  }
  return chars.join('');
}

/** Evidence re-cut from the masked text, so no span shows what the text hides. */
export function maskEvidence(evidence: readonly Evidence[], masked: { body: string; title: string | null }): Evidence[] {
  return evidence.map((e) => ({ ...e, text: (e.field === 'title' ? (masked.title ?? '') : masked.body).slice(e.start, e.end) }));
}

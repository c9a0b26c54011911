import { z } from 'zod';
import { detectors } from '../moderation/detectors/index.ts';
import { prepareText, type TextFormat, toOriginalSpan } from '../moderation/text/prepare-text.ts';
import { type Evidence, type PolicyId, policyIds, type Verdict } from '../moderation/types.ts';
import type { DecisionRemedy, Redaction } from './remedy.ts';

/** Policies whose flags a forum may repair by redaction; only privacy_leak is about someone else's data. */
const REDACTABLE: readonly PolicyId[] = ['privacy_leak'];

export const redactionSettingsSchema = z
  .object({
    policies: z
      .array(z.enum(policyIds))
      .min(1)
      .refine((ps) => ps.every((p) => REDACTABLE.includes(p)), 'only privacy_leak flags personal data that redaction can mask'),
  })
  .strict();

export type RedactionSettings = z.infer<typeof redactionSettingsSchema>;

const KINDS = {
  phone: { kind: 'phone', replacement: '[phone removed]' },
  email: { kind: 'email', replacement: '[email removed]' },
  street_address: { kind: 'address', replacement: '[address removed]' },
  full_name: { kind: 'name', replacement: '[name removed]' },
  date_of_birth: { kind: 'date_of_birth', replacement: '[date of birth removed]' },
} as const;

// The street detector may take the word before the address ("lives at 12 Oak Road"); that word stays.
const LEADING_PREPOSITION = /^(?:on|at|in|auf|en|sur)\s+/i;

/**
 * Spans of personal data in a post that overlap its flagged evidence, as offsets into the
 * body the forum sent (UTF-16 code units, like the evidence). Found on the text with its
 * markup reduced and mapped back, so markdown, HTML entities and emoji do not shift them.
 */
export function findRedactions(body: string, format: TextFormat, evidence: readonly Evidence[], language?: string | null): Redaction[] {
  const inBody = evidence.filter((e) => e.field === undefined);
  if (inBody.length === 0) return [];
  const prepared = prepareText(body, format, { keepQuotes: true });
  // No-break spaces (`&nbsp;` in HTML) separate a number's digits as often as spaces do; same length, same offsets.
  const plain = prepared.plain.replace(/[\u00a0\u2007\u202f]/g, ' ');
  const found: Redaction[] = [];
  for (const [name, { kind, replacement }] of Object.entries(KINDS)) {
    // German capitalises every noun, so two capitalised words there are rarely a name ("Ihre Nummer").
    if (kind === 'name' && language === 'de') continue;
    for (const span of detectors[name as keyof typeof KINDS](plain)) {
      let { start, end } = toOriginalSpan(prepared.plainMap, span.start, span.end);
      if (kind === 'address') {
        const lead = LEADING_PREPOSITION.exec(body.slice(start, end));
        if (lead) start += lead[0].length;
      }
      if (inBody.some((e) => e.start < end && start < e.end)) found.push({ start, end, kind, replacement });
    }
  }
  // Overlapping finds ("Jane Miller" inside an address) become one span, the earlier kind's label.
  const merged: Redaction[] = [];
  for (const r of found.sort((a, b) => a.start - b.start || b.end - a.end)) {
    const last = merged[merged.length - 1];
    if (last && r.start < last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/**
 * The body with each span replaced by its label. Markup inside a span is kept after the label
 * (HTML tags, markdown emphasis), so the post still renders as the member wrote it.
 */
export function applyRedactions(body: string, format: TextFormat, redactions: readonly Redaction[]): string {
  // Characters of the body that are text (not markup): the reduced view maps back to them.
  const text = format === 'markdown' ? new Set(prepareText(body, format, { keepQuotes: true }).plainMap) : undefined;
  let out = body;
  for (const r of [...redactions].sort((a, b) => b.start - a.start)) {
    const inside = body.slice(r.start, r.end);
    let markup = '';
    if (format === 'html') markup = (inside.match(/<[^>]*>/g) ?? []).join('');
    if (text) for (let i = r.start; i < r.end; i++) if (!text.has(i) && '*_~`'.includes(body[i] as string)) markup += body[i];
    out = out.slice(0, r.start) + r.replacement + markup + out.slice(r.end);
  }
  return out;
}

/**
 * Turns a verdict whose only problem is someone else's personal data into `redact`, with the
 * post ready to publish without it. Only for the policies the forum chose, never for an urgent
 * post (a member in crisis reaches a human), and only when the data was found: otherwise the
 * verdict stands as decided.
 */
export function redactVerdict(
  verdict: Verdict,
  post: { body: string; format: TextFormat },
  settings: RedactionSettings | undefined,
  language?: string | null,
): { verdict: Verdict; remedy: DecisionRemedy } | null {
  if (!settings || verdict.urgent || verdict.action === 'allow') return null;
  const flagged = verdict.policies.filter((p) => p.flagged);
  if (flagged.length === 0 || !flagged.every((p) => settings.policies.includes(p.policy))) return null;
  if (flagged.some((p) => p.evidence.some((e) => e.field === 'title'))) return null;
  const redactions = findRedactions(
    post.body,
    post.format,
    flagged.flatMap((p) => p.evidence),
    language,
  );
  if (redactions.length === 0) return null;
  return {
    verdict: { ...verdict, action: 'redact' },
    remedy: { redacted_body: applyRedactions(post.body, post.format, redactions), redactions },
  };
}

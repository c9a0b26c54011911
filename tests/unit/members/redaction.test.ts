import { describe, expect, it } from 'vitest';
import { applyRedactions, findRedactions, redactionSettingsSchema, redactVerdict } from '../../../src/members/redaction.ts';
import type { Evidence, PolicyResult, Verdict } from '../../../src/moderation/types.ts';

/** Evidence over the whole body: every piece of personal data in it is in play. */
const all = (body: string): Evidence[] => [{ start: 0, end: body.length, text: body }];
const settings = redactionSettingsSchema.parse({ policies: ['privacy_leak'] });

function privacyVerdict(body: string, extra: Partial<Verdict> = {}, others: PolicyResult[] = []): Verdict {
  return {
    action: 'hold',
    urgent: false,
    policies: [
      { policy: 'privacy_leak', score: 0.95, flagged: true, evidence: all(body), rationale: "posts someone else's phone number" },
      ...others,
    ],
    ...extra,
  };
}

describe('redaction', () => {
  it('masks a phone number in plain text, with offsets into the text the forum sent', () => {
    const body = 'Her number is 0412 555 019, call and tell her what you think.';
    const [r] = findRedactions(body, 'text', all(body));
    expect(r).toMatchObject({ kind: 'phone', replacement: '[phone removed]' });
    expect(body.slice(r?.start, r?.end)).toBe('0412 555 019');
    expect(applyRedactions(body, 'text', findRedactions(body, 'text', all(body)))).toBe(
      'Her number is [phone removed], call and tell her what you think.',
    );
  });

  it('counts offsets in UTF-16 code units after emoji and accented letters', () => {
    const body = '😀😀 Zoë says: Jane Miller lives at 42 Wattle Street — ring 0412 555 019 🙏';
    const found = findRedactions(body, 'text', all(body));
    expect(found.map((r) => [r.kind, body.slice(r.start, r.end)])).toEqual([
      ['name', 'Jane Miller'],
      ['address', '42 Wattle Street'],
      ['phone', '0412 555 019'],
    ]);
    expect(applyRedactions(body, 'text', found)).toBe('😀😀 Zoë says: [name removed] lives at [address removed] — ring [phone removed] 🙏');
  });

  it('finds data through markdown and keeps the emphasis around it balanced', () => {
    const body = '**Jane** Miller is at _15 Thistle Close_, her mobile is `0412 555 019`.';
    const found = findRedactions(body, 'markdown', all(body));
    expect(found.map((r) => r.kind)).toEqual(['name', 'address', 'phone']);
    expect(applyRedactions(body, 'markdown', found)).toBe('**[name removed]** is at _[address removed]_, her mobile is `[phone removed]`.');
  });

  it('finds data through HTML tags and entities, keeping the tags', () => {
    const body = '<p>Her name is <b>Jane</b> Miller, try 0412&nbsp;555&nbsp;019, she lives at 12 Oak Road.</p>';
    const found = findRedactions(body, 'html', all(body));
    expect(found.map((r) => [r.kind, body.slice(r.start, r.end)])).toEqual([
      ['name', 'Jane</b> Miller'],
      ['phone', '0412&nbsp;555&nbsp;019'],
      ['address', '12 Oak Road.'],
    ]);
    expect(applyRedactions(body, 'html', found)).toBe(
      '<p>Her name is <b>[name removed]</b>, try [phone removed], she lives at [address removed]</p>',
    );
  });

  it('takes no capitalised German nouns for a name', () => {
    const body = 'Ihre Nummer ist 0412 555 019, ruft sie an.';
    expect(findRedactions(body, 'text', all(body), 'de').map((r) => body.slice(r.start, r.end))).toEqual(['0412 555 019']);
    expect(findRedactions(body, 'text', all(body), 'en').map((r) => r.kind)).toEqual(['name', 'phone']);
  });

  it('masks only data that the flag stands on', () => {
    const body = 'My own number is 0413 222 888. Hers is 0412 555 019.';
    const evidence = [{ start: 31, end: body.length, text: body.slice(31) }];
    expect(findRedactions(body, 'text', evidence).map((r) => body.slice(r.start, r.end))).toEqual(['0412 555 019']);
  });

  it('turns a privacy-only verdict into redact, and leaves everything else as decided', () => {
    const body = 'Her number is 0412 555 019, call and tell her what you think.';
    const post = { body, format: 'text' as const };
    const redacted = redactVerdict(privacyVerdict(body), post, settings);
    expect(redacted?.verdict.action).toBe('redact');
    expect(redacted?.remedy.redacted_body).toBe('Her number is [phone removed], call and tell her what you think.');
    expect(redactVerdict(privacyVerdict(body), post, undefined)).toBeNull();
    expect(redactVerdict(privacyVerdict(body, { urgent: true }), post, settings)).toBeNull();
    const hostile: PolicyResult = { policy: 'hostility', score: 0.9, flagged: true, evidence: [], rationale: 'insult' };
    expect(redactVerdict(privacyVerdict(body, {}, [hostile]), post, settings)).toBeNull();
    const noData = 'Her sister has fibro and hides it from work.';
    expect(redactVerdict(privacyVerdict(noData), { body: noData, format: 'text' }, settings)).toBeNull();
  });

  it('refuse settings for a policy redaction cannot repair, naming why', () => {
    const bad = redactionSettingsSchema.safeParse({ policies: ['hostility'] });
    expect(bad.error?.issues[0]?.message).toMatch(/only privacy_leak/);
  });
});

import { describe, expect, it } from 'vitest';
import { crisisSettingsSchema, replyLanguages, suggestedReply } from '../../../src/members/crisis-support.ts';

const forum = crisisSettingsSchema.parse({
  country: 'AU',
  resources: [
    { language: 'en', country: 'AU', name: 'Lifeline', phone: '13 11 14', emergency: '000' },
    { language: 'en', country: 'GB', name: 'Samaritans', phone: '116 123', emergency: '999' },
    { language: 'de', country: 'DE', name: 'TelefonSeelsorge', phone: '0800 111 0 111', emergency: '112' },
  ],
});

describe('suggested replies for a member in crisis', () => {
  it("use the forum's lines in the post's language, its own country first, with that country's emergency number", () => {
    const reply = suggestedReply('en', forum);
    expect(reply.resources.map((r) => r.name)).toEqual(['Lifeline', 'Samaritans']);
    expect(reply.text).toContain('please reach out now: Lifeline, 13 11 14; Samaritans, 116 123.');
    expect(reply.text).toContain('call 000');
    const de = suggestedReply('de', forum);
    expect(de.language).toBe('de');
    expect(de.text).toMatch(/^Danke, dass du uns sagst/);
    expect(de.text).toContain('TelefonSeelsorge, 0800 111 0 111');
    expect(de.text).toContain('ruf die 112 an');
  });

  it("fall back to the forum country's lines, then Hearth's defaults, then the helpline directory", () => {
    expect(suggestedReply('fr', forum).text).toContain('Lifeline, 13 11 14');
    expect(suggestedReply('fr', forum).text).toMatch(/^Merci de nous dire/);
    expect(suggestedReply('fr', undefined).text).toContain('3114');
    expect(suggestedReply('en', undefined).text).toContain('https://findahelpline.com');
    expect(suggestedReply('en', undefined).text).toContain('call your local emergency number');
    // A language Hearth has no wording for gets English.
    expect(suggestedReply('it', forum).language).toBe('en');
    expect(suggestedReply(null, undefined).language).toBe('en');
  });

  it('are kind and plain: no emoji, no minimising words, a moderator told, in every language', () => {
    for (const lang of replyLanguages) {
      const { text } = suggestedReply(lang, undefined);
      expect(text).not.toMatch(/\p{Extended_Pictographic}/u);
      expect(text.toLowerCase()).not.toMatch(/\bjust\b|cheer up|everything will be fine/);
      expect(text).toMatch(/modérateur|moderador|moderator|Moderator/);
    }
  });

  it('refuse resources without a way to reach them, or with a plain http link', () => {
    const bad = crisisSettingsSchema.safeParse({
      resources: [
        { language: 'en', name: 'X' },
        { language: 'en', name: 'Y', url: 'http://y.example' },
      ],
    });
    expect(bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'resources.0: give a phone number, a link or both',
      'resources.1.url: an https:// link',
    ]);
  });
});

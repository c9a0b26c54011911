import { describe, expect, it } from 'vitest';
import { authorMessage, messageLanguages } from '../../../src/members/author-message.ts';
import { type PolicyId, policyIds, type Verdict } from '../../../src/moderation/types.ts';

function verdict(action: Verdict['action'], flagged: PolicyId[], urgent = false): Verdict {
  return {
    action,
    urgent,
    policies: flagged.map((policy, i) => ({
      policy,
      score: 0.9 - i / 10,
      flagged: true,
      evidence: [{ start: 0, end: 12, text: '0412 555 019' }],
      rationale: 'seeded',
    })),
  };
}

describe('explanations for the author', () => {
  it('say what happens to the post and why, as in the issue', () => {
    expect(authorMessage(verdict('hold', ['privacy_leak']), 'en', ['phone'])?.text).toBe(
      "Your post is waiting for a moderator because it seems to share another person's phone number. A moderator will look at it soon, and you are welcome to edit it in the meantime.",
    );
    expect(authorMessage(verdict('redact', ['privacy_leak']), 'en', ['address'])?.text).toMatch(
      /^Your post is up with another person's address removed, to protect their privacy\./,
    );
    expect(authorMessage(verdict('review', []), 'en')?.text).toMatch(
      /because your recent posts are being looked at more closely for a while\./,
    );
    expect(authorMessage(verdict('hold', ['self_harm'], true), 'en')?.text).toMatch(/very hard time\. You're not alone/);
    expect(authorMessage(verdict('allow', []), 'en')).toBeNull();
  });

  it('name the policy that weighs most, and a crisis before anything else', () => {
    expect(authorMessage(verdict('hold', ['hostility', 'misinformation']), 'en')?.text).toMatch(/hurtful to another member/);
    expect(authorMessage(verdict('hold', ['hostility', 'self_harm'], true), 'en')?.text).toMatch(/very hard time/);
  });

  it("are in the post's language (English, Spanish, French, German), English otherwise", () => {
    expect(authorMessage(verdict('hold', ['privacy_leak']), 'es', ['phone'])?.text).toBe(
      'Tu mensaje está esperando a un moderador porque parece compartir el número de teléfono de otra persona. Un moderador lo revisará pronto, y puedes editarlo mientras tanto.',
    );
    expect(authorMessage(verdict('remove', ['hostility']), 'fr')?.text).toMatch(
      /^Ton message a été retiré car il pourrait blesser un autre membre\./,
    );
    expect(authorMessage(verdict('hold', ['unsafe_medical_advice']), 'de')?.text).toMatch(
      /^Dein Beitrag wartet auf einen Moderator, weil er/,
    );
    expect(authorMessage(verdict('hold', ['hostility']), 'pt')?.language).toBe('en');
  });

  it('never carry the evidence, and stay one or two sentences, for every policy, action and language', () => {
    for (const lang of messageLanguages)
      for (const policy of policyIds)
        for (const action of ['review', 'redact', 'hold', 'remove'] as const) {
          const text = authorMessage(verdict(action, [policy], policy === 'self_harm'), lang, ['phone'])?.text ?? '';
          expect(text).not.toContain('0412');
          expect(text).not.toMatch(/\{|\}/);
          expect(text.split(/(?<=[.!?])\s+/).length).toBeLessThanOrEqual(2);
        }
  });
});

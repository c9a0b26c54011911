import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/moderation/text/detect-language.ts';
import { prepareText } from '../../../src/moderation/text/prepare-text.ts';

const sentences = {
  en: [
    'I take 300 mg gabapentin and the brain fog is awful.',
    'Does anyone else get worse when the weather changes?',
    "I'm so tired of people saying it's all in my head.",
    'Thank you all, this group keeps me going.',
    'Can not sleep again, is anyone else up?',
  ],
  es: [
    'Hoy el dolor de espalda no me deja ni caminar.',
    '¿Alguien más tiene problemas para dormir con la medicación?',
    'Mi médico dice que es estrés pero yo sé que no es eso.',
    'Me siento muy sola con todo esto.',
    'Cuando llueve me duelen mucho las rodillas.',
  ],
  fr: [
    "J'ai tellement mal au dos aujourd'hui que je ne peux pas marcher.",
    "Est-ce que quelqu'un d'autre a du mal à dormir avec ce traitement ?",
    "Mon médecin pense que c'est dans ma tête.",
    'Je me sens très seule avec tout ça.',
    'Quand il pleut, mes genoux me font souffrir.',
  ],
  de: [
    'Heute tut mir der Rücken so weh, dass ich kaum laufen kann.',
    'Hat noch jemand Probleme beim Schlafen mit den Tabletten?',
    'Mein Arzt meint, das sei nur Stress.',
    'Ich bin seit drei Tagen total erschöpft.',
    'Wenn es regnet, tun mir die Knie weh.',
  ],
} as const;

describe('detectLanguage', () => {
  for (const [language, texts] of Object.entries(sentences)) {
    it(`reads short ${language} posts, as written and as the normalised view`, () => {
      for (const text of texts) {
        expect(detectLanguage(text), text).toBe(language);
        expect(detectLanguage(prepareText(text).norm), text).toBe(language);
      }
    });
  }

  it('gives a mixed post to the language most of its function words belong to', () => {
    expect(detectLanguage('Ay this flare me está matando, I swear')).toBe('en');
    expect(detectLanguage('Gracias everyone, I really needed to hear that today')).toBe('en');
    expect(detectLanguage('Hoy estoy fatal, the pain is bad y no puedo dormir nada')).toBe('es');
  });

  it("answers 'und' when there is too little evidence", () => {
    for (const text of ['', 'ok', 'Thanks!', '😭😭😭', '300mg', 'Naproxen']) expect(detectLanguage(text), text).toBe('und');
  });

  it("answers 'und' for Portuguese and Italian rather than guess Spanish or French", () => {
    expect(detectLanguage('Eu não consigo dormir com essa dor, é muito difícil.')).toBe('und');
    expect(detectLanguage('Non riesco a dormire, il dolore è molto forte anche oggi.')).toBe('und');
  });
});

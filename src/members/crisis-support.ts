import { z } from 'zod';

/**
 * A forum's crisis resources: lines per language and country, and the forum's own country
 * (for the emergency number and which lines come first). Forums should review their own; the
 * defaults below are the lines POLICY-NOTES names, for a forum that set none.
 */
const resourceSchema = z
  .object({
    language: z.string().regex(/^[a-z]{2}$/, 'a two-letter language code such as en'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'a two-letter country code such as GB')
      .optional(),
    name: z.string().trim().min(1).max(100),
    phone: z.string().trim().min(1).max(60).optional(),
    url: z
      .url({ protocol: /^https$/, error: 'an https:// link' })
      .max(300)
      .optional(),
    text: z.string().trim().max(200).optional(),
    /** The emergency number where this line is (000, 112, 911, 999). */
    emergency: z.string().trim().min(2).max(20).optional(),
  })
  .strict()
  .refine((r) => r.phone !== undefined || r.url !== undefined, 'give a phone number, a link or both');

export const crisisSettingsSchema = z
  .object({
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'a two-letter country code such as GB')
      .optional(),
    resources: z.array(resourceSchema).min(1).max(50),
  })
  .strict();

export type CrisisSettings = z.infer<typeof crisisSettingsSchema>;
export type CrisisResource = z.infer<typeof resourceSchema>;

/** The lines POLICY-NOTES lists; the findahelpline.com directory wherever the country is unknown. */
const DEFAULT_RESOURCES: CrisisResource[] = [
  { language: 'en', country: 'US', name: '988 Suicide & Crisis Lifeline', phone: 'call or text 988', emergency: '911' },
  { language: 'en', country: 'CA', name: '9-8-8', phone: 'call or text 988', emergency: '911' },
  { language: 'fr', country: 'CA', name: '9-8-8', phone: 'appel ou texto au 988', emergency: '911' },
  { language: 'en', country: 'GB', name: 'Samaritans', phone: '116 123 (free)', emergency: '999' },
  { language: 'en', country: 'IE', name: 'Samaritans', phone: '116 123 (free)', emergency: '112' },
  { language: 'en', country: 'AU', name: 'Lifeline', phone: '13 11 14, text 0477 13 11 14', emergency: '000' },
  { language: 'es', country: 'ES', name: 'Línea 024', phone: '024', text: 'gratuita, 24 h', emergency: '112' },
  {
    language: 'fr',
    country: 'FR',
    name: 'Numéro national de prévention du suicide',
    phone: '3114',
    text: 'gratuit, 24 h/24',
    emergency: '112',
  },
  {
    language: 'de',
    country: 'DE',
    name: 'TelefonSeelsorge',
    phone: '0800 111 0 111 oder 0800 111 0 222 (kostenlos, anonym)',
    emergency: '112',
  },
];
const DIRECTORY: Record<string, CrisisResource> = {
  en: { language: 'en', name: 'Find A Helpline', url: 'https://findahelpline.com', text: 'free, confidential lines in your country' },
  es: { language: 'es', name: 'Find A Helpline', url: 'https://findahelpline.com', text: 'líneas gratuitas y confidenciales de tu país' },
  fr: {
    language: 'fr',
    name: 'Find A Helpline',
    url: 'https://findahelpline.com',
    text: 'lignes gratuites et confidentielles de ton pays',
  },
  de: {
    language: 'de',
    name: 'Find A Helpline',
    url: 'https://findahelpline.com',
    text: 'kostenlose, vertrauliche Nummern in deinem Land',
  },
};
const DEFAULT_LANGUAGE_COUNTRY: Record<string, string> = { es: 'ES', fr: 'FR', de: 'DE' };

/**
 * The reply, after #chatsafe, Samaritans and Befrienders Worldwide: acknowledge the feeling,
 * say people here care, give the line and the emergency number, say a moderator was told.
 * Never a method, an argument, "just", "cheer up", a promise of secrecy, humour or emoji.
 */
const TEMPLATES: Record<string, { body: string; emergency: (n: string) => string; localEmergency: string }> = {
  en: {
    body: "Thank you for telling us how you're feeling. Living with this much pain is exhausting, and it makes sense that you're struggling. You're not alone here. If you're thinking about ending your life, please reach out now: {lines}. If you might act on these thoughts soon, {emergency}. A moderator has been told and will check in.",
    emergency: (n) => `call ${n}`,
    localEmergency: 'call your local emergency number',
  },
  es: {
    body: 'Gracias por contarnos cómo te sientes. Vivir con tanto dolor es agotador, y es comprensible que lo estés pasando tan mal. Aquí no estás solo. Si estás pensando en quitarte la vida, por favor pide ayuda ahora: {lines}. Si crees que podrías actuar pronto, {emergency}. Un moderador ya está avisado y se pondrá en contacto contigo.',
    emergency: (n) => `llama al ${n}`,
    localEmergency: 'llama al número de emergencias de tu zona',
  },
  fr: {
    body: "Merci de nous dire ce que tu ressens. Vivre avec autant de douleur est épuisant, et c'est compréhensible que tu sois à bout. Tu n'es pas seul ici. Si tu penses à mettre fin à tes jours, s'il te plaît, demande de l'aide maintenant : {lines}. Si tu risques de passer à l'acte bientôt, {emergency}. Un modérateur a été prévenu et va prendre de tes nouvelles.",
    emergency: (n) => `appelle le ${n}`,
    localEmergency: "appelle le numéro d'urgence local",
  },
  de: {
    body: 'Danke, dass du uns sagst, wie es dir geht. Mit so starken Schmerzen zu leben ist erschöpfend, und es ist verständlich, dass du nicht mehr kannst. Du bist hier nicht allein. Wenn du daran denkst, dir das Leben zu nehmen, wende dich bitte jetzt an: {lines}. Wenn du befürchtest, bald danach zu handeln, {emergency}. Ein Moderator ist informiert und meldet sich bei dir.',
    emergency: (n) => `ruf die ${n} an`,
    localEmergency: 'ruf den örtlichen Notruf an',
  },
};

export const replyLanguages = Object.keys(TEMPLATES);

export interface SuggestedReply {
  language: string;
  text: string;
  resources: Array<{ name: string; phone?: string; url?: string }>;
}

/** The lines for a reply in `language`: the forum's in that language (its country first), else its country's, else the defaults. */
function pickResources(language: string, settings: CrisisSettings | undefined): CrisisResource[] {
  const own = settings?.resources ?? [];
  const country = settings?.country;
  const byCountryFirst = (rs: CrisisResource[]) =>
    [...rs].sort((a, b) => Number(b.country === country) - Number(a.country === country)).slice(0, 3);
  const inLanguage = own.filter((r) => r.language === language);
  if (inLanguage.length > 0) return byCountryFirst(inLanguage);
  const inCountry = own.filter((r) => country !== undefined && r.country === country);
  if (inCountry.length > 0) return byCountryFirst(inCountry);
  if (own.length > 0) return byCountryFirst(own);
  const where = country ?? DEFAULT_LANGUAGE_COUNTRY[language];
  const inWhere = DEFAULT_RESOURCES.filter((r) => r.country === where);
  const defaults = inWhere.filter((r) => r.language === language);
  if (defaults.length > 0) return defaults;
  return inWhere.length > 0 ? inWhere.slice(0, 1) : [DIRECTORY[language] ?? (DIRECTORY.en as CrisisResource)];
}

/**
 * A reply the forum can show a member in crisis, in the post's language (English when Hearth
 * has no wording for it), built from the forum's crisis resources.
 */
export function suggestedReply(language: string | null | undefined, settings: CrisisSettings | undefined): SuggestedReply {
  const lang = language && TEMPLATES[language] ? language : 'en';
  const template = TEMPLATES[lang] as (typeof TEMPLATES)['en'];
  const resources = pickResources(lang, settings);
  const lines = resources.map((r) => [r.name, r.phone, r.url].filter(Boolean).join(', ') + (r.text ? ` (${r.text})` : '')).join('; ');
  const emergencyNumber = resources.find((r) => r.emergency)?.emergency;
  const text = template.body
    .replace('{lines}', lines)
    .replace('{emergency}', emergencyNumber ? template.emergency(emergencyNumber) : template.localEmergency);
  return {
    language: lang,
    text,
    resources: resources.map(({ name, phone, url }) => ({ name, ...(phone ? { phone } : {}), ...(url ? { url } : {}) })),
  };
}

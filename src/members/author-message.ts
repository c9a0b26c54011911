import type { ModerationAction, PolicyId, Verdict } from '../moderation/types.ts';
import type { Redaction } from './remedy.ts';

type DataKind = Redaction['kind'] | 'details';
type Shown = Exclude<ModerationAction, 'allow'>;

interface Wording {
  reasons: Record<PolicyId | 'history', string>;
  /** "another person's {data}", as the language says it. */
  data: Record<DataKind, string>;
  leads: Record<Shown, string>;
  closing: Record<Shown | 'urgent', string>;
}

// One or two plain sentences a forum can show the member: what happens to the post and why, in
// words about the kind of problem only. Nothing from the post is ever put into them, so no
// leaked number or hurtful phrase can be repeated back. Kind in tone: people here are in pain.
const WORDING: Record<string, Wording> = {
  en: {
    reasons: {
      misinformation: 'it seems to state a health claim as fact that may not be accurate',
      unsafe_medical_advice: "it seems to suggest a change to someone's medication or treatment that could be unsafe",
      hostility: 'it may come across as hurtful to another member',
      privacy_leak: "it seems to share another person's {data}",
      self_harm: 'it sounds like you may be going through a very hard time',
      history: 'your recent posts are being looked at more closely for a while',
    },
    data: {
      phone: 'phone number',
      email: 'email address',
      address: 'address',
      name: 'full name',
      date_of_birth: 'date of birth',
      details: 'personal details',
    },
    leads: {
      review: 'Your post is up, and a moderator will also read it because {reason}.',
      redact: "Your post is up with another person's {data} removed, to protect their privacy.",
      hold: 'Your post is waiting for a moderator because {reason}.',
      remove: 'Your post was removed because {reason}.',
    },
    closing: {
      review: 'Thank you for your patience; you can edit your post at any time.',
      redact: "Thank you for helping keep everyone's details safe.",
      hold: 'A moderator will look at it soon, and you are welcome to edit it in the meantime.',
      remove: 'If you think this was a mistake, please write to the moderators.',
      urgent: "You're not alone: if you need to talk to someone right now, please reach out to a crisis line.",
    },
  },
  es: {
    reasons: {
      misinformation: 'parece presentar como un hecho una afirmación de salud que podría no ser correcta',
      unsafe_medical_advice: 'parece sugerir un cambio de medicación o de tratamiento que podría no ser seguro',
      hostility: 'podría resultar hiriente para otro miembro',
      privacy_leak: 'parece compartir {data} de otra persona',
      self_harm: 'parece que estás pasando por un momento muy difícil',
      history: 'tus mensajes recientes se están revisando con más atención durante un tiempo',
    },
    data: {
      phone: 'el número de teléfono',
      email: 'el correo electrónico',
      address: 'la dirección',
      name: 'el nombre completo',
      date_of_birth: 'la fecha de nacimiento',
      details: 'datos personales',
    },
    leads: {
      review: 'Tu mensaje está publicado y un moderador también lo leerá porque {reason}.',
      redact: 'Tu mensaje se ha publicado sin {data} de otra persona, para proteger su privacidad.',
      hold: 'Tu mensaje está esperando a un moderador porque {reason}.',
      remove: 'Tu mensaje se ha retirado porque {reason}.',
    },
    closing: {
      review: 'Gracias por tu paciencia; puedes editarlo cuando quieras.',
      redact: 'Gracias por ayudar a proteger los datos de todos.',
      hold: 'Un moderador lo revisará pronto, y puedes editarlo mientras tanto.',
      remove: 'Si crees que es un error, escribe a los moderadores.',
      urgent: 'No estás solo: si necesitas hablar con alguien ahora, contacta con una línea de ayuda.',
    },
  },
  fr: {
    reasons: {
      misinformation: 'il semble présenter comme un fait une affirmation de santé qui pourrait être inexacte',
      unsafe_medical_advice: 'il semble suggérer un changement de médicament ou de traitement qui pourrait être dangereux',
      hostility: 'il pourrait blesser un autre membre',
      privacy_leak: "il semble partager {data} d'une autre personne",
      self_harm: 'tu sembles traverser un moment très difficile',
      history: 'tes messages récents sont examinés de plus près pendant quelque temps',
    },
    data: {
      phone: 'le numéro de téléphone',
      email: "l'adresse e-mail",
      address: "l'adresse",
      name: 'le nom complet',
      date_of_birth: 'la date de naissance',
      details: 'des informations personnelles',
    },
    leads: {
      review: 'Ton message est publié, et un modérateur le lira aussi car {reason}.',
      redact: "Ton message a été publié sans {data} d'une autre personne, pour protéger sa vie privée.",
      hold: 'Ton message attend un modérateur car {reason}.',
      remove: 'Ton message a été retiré car {reason}.',
    },
    closing: {
      review: 'Merci de ta patience ; tu peux le modifier à tout moment.',
      redact: 'Merci de nous aider à protéger les informations de chacun.',
      hold: 'Un modérateur le lira bientôt, et tu peux le modifier en attendant.',
      remove: "Si tu penses que c'est une erreur, écris aux modérateurs.",
      urgent: "Tu n'es pas seul : si tu as besoin de parler à quelqu'un maintenant, contacte une ligne d'écoute.",
    },
  },
  de: {
    reasons: {
      misinformation: 'er eine Gesundheitsbehauptung als Tatsache darzustellen scheint, die vielleicht nicht stimmt',
      unsafe_medical_advice: 'er eine Änderung an Medikamenten oder Behandlung vorzuschlagen scheint, die gefährlich sein könnte',
      hostility: 'er für ein anderes Mitglied verletzend sein könnte',
      privacy_leak: 'er {data} einer anderen Person zu teilen scheint',
      self_harm: 'es so klingt, als ginge es dir gerade sehr schlecht',
      history: 'deine letzten Beiträge eine Weile genauer angesehen werden',
    },
    data: {
      phone: 'die Telefonnummer',
      email: 'die E-Mail-Adresse',
      address: 'die Adresse',
      name: 'den vollen Namen',
      date_of_birth: 'das Geburtsdatum',
      details: 'persönliche Daten',
    },
    leads: {
      review: 'Dein Beitrag ist veröffentlicht, und ein Moderator liest ihn noch, weil {reason}.',
      redact: 'Dein Beitrag wurde ohne {data} einer anderen Person veröffentlicht, um ihre Privatsphäre zu schützen.',
      hold: 'Dein Beitrag wartet auf einen Moderator, weil {reason}.',
      remove: 'Dein Beitrag wurde entfernt, weil {reason}.',
    },
    closing: {
      review: 'Danke für deine Geduld; du kannst ihn jederzeit bearbeiten.',
      redact: 'Danke, dass du hilfst, die Daten aller zu schützen.',
      hold: 'Ein Moderator sieht ihn sich bald an, und du kannst ihn in der Zwischenzeit bearbeiten.',
      remove: 'Wenn du denkst, dass das ein Fehler ist, schreib bitte den Moderatoren.',
      urgent: 'Du bist nicht allein: Wenn du jetzt mit jemandem sprechen möchtest, wende dich bitte an eine Krisenhotline.',
    },
  },
};

export const messageLanguages = Object.keys(WORDING);

const KIND_ORDER: Redaction['kind'][] = ['phone', 'email', 'address', 'date_of_birth', 'name'];

/**
 * The explanation for the author of a non-`allow` verdict, in the post's language (English when
 * Hearth has no wording for it). The reason is the policy that weighs most (a crisis first), or
 * the author's standing when only an escalation rule raised the post; for someone else's data,
 * the kind of data found, never the data. Null for `allow`.
 */
export function authorMessage(
  verdict: Verdict,
  language: string | null | undefined,
  dataKinds: readonly Redaction['kind'][] = [],
): { language: string; text: string } | null {
  if (verdict.action === 'allow') return null;
  const lang = language && WORDING[language] ? language : 'en';
  const w = WORDING[lang] as Wording;
  const flagged = verdict.policies.filter((p) => p.flagged).sort((a, b) => b.score - a.score);
  const policy: PolicyId | 'history' = verdict.urgent ? 'self_harm' : (flagged[0]?.policy ?? 'history');
  // The most telling kind first: a capitalised pair taken for a name matters less than a number.
  const kind = KIND_ORDER.find((k) => dataKinds.includes(k)) ?? 'details';
  const data = w.data[kind];
  const reason = w.reasons[policy].replace('{data}', data);
  const lead = w.leads[verdict.action].replace('{reason}', reason).replace('{data}', data);
  const closing = verdict.urgent ? w.closing.urgent : w.closing[verdict.action];
  return { language: lang, text: `${capitalise(lead)} ${closing}` };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

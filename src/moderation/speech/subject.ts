/*
 * Whose data is it? Privacy flags need data about someone else: a phone number a member
 * gives as their own ("reach me at…", "my insta is…") is a disclosure, not a leak.
 */

const SELF_DISCLOSURE =
  /\b(?:reach me|contact me|email me|e-mail me|text me|call me|message me|dm me|find me|follow me|add me|my (?:own )?(?:number|email|e-mail|insta|instagram|phone|cell|mobile|handle|account|address|page|channel|blog|name(?:'s| is)?|full name(?:'s)?)|i'm|i am|im|me at|mine is|it's my own)\b[^.!?\n]{0,40}$/i;

const THIRD_PARTY =
  /\b(?:she|he|her|his|him|they|their|them|hers|sie|ihr|ihre|er|sein|seine|ella|el|su|sus|elle|il|son|sa|ses|my (?:ex|coworker|co-worker|colleague|neighbou?r|cousin|friend|brother|sister|aunt|uncle|manager|boss|teacher|mum|mom|dad|husband|wife|partner|son|daughter|brother-in-law|sister-in-law|relative|pharmacist|doctor|gp|nurse|chiro|landlord|niece|nephew)|meine? (?:kollegin|kollege|nachbarin|nachbar|freundin|freund|chef|chefin)|mi (?:compañera|compañero|vecina|vecino|jefe|jefa|prima|primo)|ma (?:collegue|voisine)|mon (?:collegue|voisin)|the (?:guy|lady|woman|man|girl|receptionist|nurse|pharmacist|chiro|doctor|one) who|(?:is|it's|its) actually|real name)\b/i;

// An organisation's public line ("the clinic's advice line is 0117…", "bookings: …") is not
// anyone's personal data, unless the words around it make it a person's own.
const ORGANISATION =
  /\b(?:clinic|hospital|practice|surgery|pharmacy|programme|program|service|services|helpline|hotline|advice line|phone line|line|reception|front desk|office|centre|center|department|dept|ward|unit|team|charity|trust|foundation|society|association|nhs|samaritans|switchboard|appointments?|bookings?|referrals?|enquiries|inquiries|customer service|support group|insurer|insurance)\b/i;
// ("their office" is the organisation's; a person's line says so: her, his, personal, mobile…)
const PERSONAL = /\b(?:her|his|personal|private|home|mobile|cell|own|real name)\b/i;

/** True when the text around `index` (in the original post) points at someone other than the author. */
export function subjectIsOther(original: string, index: number, sentence: string): boolean {
  const before = original.slice(Math.max(0, index - 60), index);
  if (SELF_DISCLOSURE.test(before)) return false;
  if (ORGANISATION.test(before) && !PERSONAL.test(before)) return false;
  const window = original.slice(Math.max(0, index - 300), Math.min(original.length, index + 200));
  return THIRD_PARTY.test(sentence) || THIRD_PARTY.test(window);
}

import { type CountryCode, findPhoneNumbersInText } from 'libphonenumber-js';
import { regexMatches } from '../regex-matches.ts';
import type { Span } from './span.ts';

// Digit runs that could be phone numbers; doses ("1800mg"), years and times rarely reach 8
// digits with separators, and the library then checks number plans.
// The lookahead rejects most positions at once.
const CANDIDATE = /(?=[+(\d])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d[\d \t.-]{5,}\d/g;
// Forums are international; the library needs a country for numbers written without +code.
const COUNTRIES: CountryCode[] = ['US', 'GB', 'AU', 'DE', 'FR', 'ES'];

/** Phone numbers in text, found with libphonenumber-js rather than home-made patterns. */
// Seven digits close together, the least any phone number has; most posts have none.
const SEVEN_DIGITS = /\d(?:[ \t().+-]{0,2}\d){6}/;
// A seven-digit local number ("555-0137") counts only when the text calls it a number.
const PHONE_CUE =
  /(?:number|mobile|phone|cell|tel|whatsapp|text|call|ring|telefono|teléfono|telefon|numero|numéro|handy|portable|movil|móvil)\b[^\d\n]{0,25}$/i;

export function findPhones(plain: string): Span[] {
  if (!SEVEN_DIGITS.test(plain)) return [];
  const spans: Span[] = [];
  // Bounded: a post is not a phone book, and each candidate costs a library call.
  for (const candidate of regexMatches(CANDIDATE, plain, 50)) {
    const digits = candidate[0].replace(/\D/g, '').length;
    if (
      digits === 7 &&
      /^\d{3}[ .-]\d{4}$/.test(candidate[0]) &&
      PHONE_CUE.test(plain.slice(Math.max(0, candidate.index - 40), candidate.index))
    ) {
      spans.push({ start: candidate.index, end: candidate.index + candidate[0].length });
      continue;
    }
    if (digits < 8 || digits > 15) continue;
    for (const country of COUNTRIES) {
      const found = findPhoneNumbersInText(candidate[0], { defaultCountry: country, leniency: 'POSSIBLE' } as never);
      const match = found.find((f) => f.endsAt - f.startsAt >= 8);
      if (match) {
        spans.push({ start: candidate.index + match.startsAt, end: candidate.index + match.endsAt });
        break;
      }
    }
  }
  return spans;
}

import { regexMatches } from '../regex-matches.ts';
import type { Span } from './span.ts';

function spansOf(re: RegExp, text: string): Span[] {
  return regexMatches(re, text).map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

// Scanning the whole post for e-mail shapes is slow with Unicode classes; instead each '@' is
// extended to the left (local part) and to the right (domain).
const LOCAL_PART = /[\p{L}\p{N}._%+-]+$/u;
const DOMAIN = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;
export function findEmails(plain: string): Span[] {
  const spans: Span[] = [];
  for (let at = plain.indexOf('@'); at !== -1; at = plain.indexOf('@', at + 1)) {
    const local = LOCAL_PART.exec(plain.slice(Math.max(0, at - 64), at));
    const domain = DOMAIN.exec(plain.slice(at + 1, at + 256));
    if (local && domain) spans.push({ start: at - local[0].length, end: at + 1 + domain[0].length });
  }
  return spans;
}

// "3318 Ridgeview Dr, Apt 4B", "15 Thistle Close", "lives on Kestrel Way": a number or
// "on/at" followed by capitalised words and a street type.
const STREET_TYPES =
  'Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Drive|Dr|Way|Close|Court|Ct|Crescent|Cres|Place|Pl|Boulevard|Blvd|Terrace|Gardens|Grove|Row|Square|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Mews|Calle|Avenida|Rue|Straße|Strasse|Weg|Allee|Platz|Gasse';
const STREET = new RegExp(
  `(?:\\b\\d{1,5}[A-Za-z]?,?\\s+|\\b(?:on|at|in|auf|en|sur)\\s+)(?:[A-Z][\\p{L}'-]+\\s+){1,3}(?:${STREET_TYPES})\\b\\.?(?:,?\\s*(?:Apt|Flat|Unit|Suite)\\.?\\s*\\w+)?`,
  'gu',
);
export const findStreetAddresses = (plain: string) => spansOf(STREET, plain);

// A social-media handle: @name (not an email, which has letters before the @).
const HANDLE = /(?<![\p{L}\p{N}._%+-])@[A-Za-z0-9_.]{3,30}\b/gu;
export const findHandles = (plain: string) => (plain.includes('@') ? spansOf(HANDLE, plain) : []);

const DOB = /\b(?:DOB|d\.o\.b\.?|date of birth|born(?: on)?)\s*:?\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/giu;
const DOB_CUE = /\b(?:dob|d\.o\.b|birth|born)/i;
export const findDatesOfBirth = (plain: string) => (DOB_CUE.test(plain) ? spansOf(DOB, plain) : []);

// Words that start sentences or name places and things, not people.
const NOT_NAMES = new Set(
  'The This That These Those Then There Their They She He His Her Hers Him It Its My Our Your We You I Im Ive Id Hi Hello Hey Dear Thanks Thank Sorry Just And But Or So If When While Because Also Anyway Update Mods Mod Moderator Note PSA FYI Re Day Week Month Year Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December Pain Clinic Hospital Center Centre Community University Medical Health Group Facebook Instagram Reddit TikTok Google Dr Doctor Nurse Mr Mrs Ms Miss Oh Ugh Lol Omg Wow Yes No Not None Every Each All Some Any Most Many Much More Less One Two Three Chronic New Old Good Bad Best Worst First Last Next'.split(
    ' ',
  ),
);
const NAME = /\b(?:(?:Dr|Mr|Mrs|Ms|Miss|Nurse|Prof)\.?\s+)?([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)\s+([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*)\b/gu;

/** Two capitalised words that look like a person's full name ("Alana Pruitt", "Jennifer Mbeki-Larsen"). */
export function findFullNames(plain: string): Span[] {
  const spans: Span[] = [];
  for (const m of regexMatches(NAME, plain)) {
    const [first, last] = [m[1] ?? '', m[2] ?? ''];
    if (NOT_NAMES.has(first) || NOT_NAMES.has(last)) continue;
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

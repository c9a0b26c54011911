const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', $: 's', '@': 'a', '!': 'i' };

// Numbers with a unit are doses, times and quantities, never disguised words: "300mg", "3am",
// "2x", "10th", "5k". Letters then digits are codes: "b12", "d3", "t4", "l5", "omega3", "covid19".
const QUANTITY =
  /^[$@]?\d+(?:mg|mgs|mcg|mcgs|ug|g|kg|ml|l|iu|cc|x|am|pm|h|hr|hrs|min|mins|s|sec|secs|st|nd|rd|th|k|m|mm|cm|km|mi|ft|lb|lbs|oz|mmol|yo|y|yr|yrs|d|wk|wks|mo|mos|bpm|ish)$/;
const CODE = /^[a-z]+\d+$/;
// "@painwarrior" is a mention, not "apainwarrior"; "@ss" is too short to be a username.
const MENTION = /^@[^@]{4,}$/;

// Words that forum posts commonly mask with '*' ("st*pid", "f***"). A masked token becomes one
// of these only when exactly one fits, so "*really*" or "2*500" stay as they are.
const MASKABLE = [
  'arse',
  'ass',
  'asshole',
  'bastard',
  'bitch',
  'bollocks',
  'bullshit',
  'cock',
  'crap',
  'cunt',
  'damn',
  'dick',
  'die',
  'dumb',
  'fuck',
  'fucked',
  'fucker',
  'fucking',
  'hell',
  'idiot',
  'idiots',
  'kill',
  'loser',
  'moron',
  'piss',
  'pissed',
  'prick',
  'retard',
  'retarded',
  'shit',
  'shitty',
  'slut',
  'stupid',
  'twat',
  'wanker',
  'whore',
];

/**
 * Reads a disguised word back: leet digits and symbols inside a word become letters and masked
 * letters are filled in, one for one, so offsets stay put. Returns null to leave the token as
 * it is (plain words, numbers, quantities, codes, mentions).
 */
export function deobfuscateToken(token: string): string | null {
  if (/^[a-z]*$/.test(token) || !/[a-z]/.test(token)) return null;
  if (QUANTITY.test(token) || CODE.test(token) || MENTION.test(token)) return null;
  let out = '';
  for (let i = 0; i < token.length; i++) {
    const ch = token[i] as string;
    // '!' is an 'i' only between letters ("sh!t"); "kill!!!" keeps its exclamation marks.
    const bang = ch === '!' && !(/[a-z0-9]/.test(token[i - 1] ?? '') && /[a-z]/.test(token[i + 1] ?? ''));
    out += bang ? ch : (LEET[ch] ?? ch);
  }
  return out.includes('*') ? unmask(out) : out;
}

function unmask(token: string): string {
  // "*sigh*" is emphasis in plain text, not a masked word.
  if (token.startsWith('*') && token.endsWith('*')) return token;
  let found: string | null = null;
  for (const word of MASKABLE) {
    if (word.length !== token.length || !fits(token, word)) continue;
    if (found) return token;
    found = word;
  }
  return found ?? token;
}

function fits(token: string, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (token[i] !== '*' && token[i] !== word[i]) return false;
  return true;
}

/**
 * Every match of a global regex, found with exec() on the regex itself. `String#matchAll`
 * constructs a copy of the regex on each call, which on the scorer's hot path cost more than
 * many of the matches themselves. Empty matches advance by one so the loop always ends;
 * `max` bounds the work a hostile post full of matches can cause.
 */
export function regexMatches(re: RegExp, text: string, max = Number.POSITIVE_INFINITY): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m && out.length < max; m = re.exec(text)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

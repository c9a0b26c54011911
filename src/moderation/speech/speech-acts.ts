import { type Sentence, splitSentences } from './sentences.ts';

/*
 * Speech-act cues over the matching view (lower-cased, accents folded). They separate what
 * generic moderation tools conflate: a member's own experience or question versus a
 * directive to others, and a claim versus a claim quoted to debunk it. English first, with
 * the commonest Spanish, French and German forms.
 */

// Forum questions often drop the question mark: "has anyone tried LDN", "how long did it take".
const QUESTION_START =
  /^(?:(?:quick|dumb|serious|honest|genuine|random)\s+q(?:uestion)?\b[^a-z]{0,3}(?:maybe\s+)?(?:but\s+)?)?(?:(?:does|did|do)\s+(?:anyone|anybody|any1|you|i|your|it|this)|has\s+(?:anyone|anybody|your)|have\s+(?:you|any of you)|is\s+(?:it|this|that|there)\s+(?:normal|safe|ok|okay|true|bad|dangerous|a lot|too much|possible|worth)|(?:can|could|should|would)\s+(?:i|you|anyone|we)|anyone\s+(?:know|tried|else|have|had|here|got)|how\s+(?:do|does|did|long|much|many|often|soon)|what\s+(?:do|does|did|should|would|is|are|dose)|which\s+\w+\s+(?:do|did|is|are)|why\s+(?:do|does|is|are|would)|alguien|quelqu'un|hat jemand|kennt jemand)\b/;

// Leading filler before an imperative: "so", "just", "pro tip:", vocatives.
const FILLER =
  /^(?:(?:so|and|but|then|honestly|seriously|srsly|ok|okay|also|oh|yeah|yes|no|lol|tbh|imo|fyi|psa|pro tip|tip|trick|hack|guys|ladies|girls|moms|mums|folks|everyone|babe|hun|mate|friend|listen|look|btw|ps|p\.s|franchement|bueno|mira|also|ok)\b[\s,:!.-]*)+/;

const IMPERATIVE_VERB =
  /^(?:just\s+|simply\s+|really\s+|definitely\s+|always\s+|never\s+|go\s+(?:ahead\s+and\s+)?|please\s+)?(?:take|stop|quit|ditch|bin|skip|double|triple|crush|chew|snort|mix|combine|add|put|use|try|buy|order|get|go|switch|throw|drink|eat|ignore|forget|push|dose|eyeball|share|give|hit|call|email|ring|knock|pm|dm|message|start|keep|leave|save|swap|sell|pinch|grab|pop|up|increase|cut|halve|split|drop|print|tell|trust|avoid|stay|sleep|lie|wash|apply|rub|ask|check|talk|see|come|wait|toughen|grow|sit|get|shut|stfu|log|move|do|don't|dont|do not|no need|wake|look|watch|make|let|bring|find|pay|send|read)\b/;

const DIRECTIVE_ANYWHERE =
  /\b(?:you\s+(?:should|shouldn't|need to|have to|must|gotta|can just|could just|just need|ought to|better)|you'll\s+(?:thank me|feel|be fine|sleep|finally|never)|(?:everyone|everybody|all of you|you all|y'all)\s+(?:here\s+)?(?:should|needs? to|must)|(?:give it a (?:go|try|shot)|trust me|highly recommend|i(?:'d)? recommend|recommend it|try it|do it|game changer|works every time|thank me later|no need to|don't bother|don't waste|dont bother|dont waste|don't let (?:your|anyone|them)|no need for)|if (?:you|your)\b[^.!?]{0,80}?,?\s*(?:just\s+)?(?:take|stop|quit|double|skip|use|put|go|try|get|crush|ditch|ignore|switch|add|mix|order|buy|leave|dose|bin|throw)\b|\b(?:deja(?:la|lo|los|las)?|dejala|tomen?|toma|compren?|haganlo|hazlo|usen?|no hace falta|arrete[sz]?|prenez|prends|achetez|faites|laisse|nimm|nehmt|hor auf|setz\w* (?:\w+ )?ab|kauf\w*))\b/;

const SELF = /\b(?:i|i'm|im|i've|ive|i'd|id|i'll|my|me|mine|myself|we|our|us|yo|mi|me|moi|je|j'ai|mon|ma|mes|ich|mein|meine|mir|mich)\b/;
const YOU = /\b(?:you|your|you're|youre|ur|u|yours|yourself|tu|te|ton|ta|tes|vous|votre|du|dein|deine|dir|dich|usted|tus?)\b/;

const DEBUNK =
  /\b(?:(?:is|that's|thats|which is|it's|its|all|pure|complete|total)\s+(?:just\s+|simply\s+|totally\s+|completely\s+|utter\s+)?(?:false|untrue|wrong|nonsense|rubbish|bs|bollocks|a lie|lies|made up)|myth|no (?:good |real |decent |solid |scientific )?evidence|not true|isn't true|isnt true|is false|that's false|thats false|totally false|not a (?:guaranteed |real )?cure|not (?:a )?guaranteed|hasn't been shown|has not been shown|hasnt been shown|wasn't shown|debunk\w*|misread|misinformation|disinformation|um,? no|be careful with (?:this|that)(?: one)?|careful with (?:this|that) one|don't believe|do not believe|is wrong|that's wrong|thats wrong|not how (?:it|that) works|scam|snake oil|not backed|no such thing|did the same as placebo|same as placebo|no better than placebo|zero evidence (?:that|for)|isn't backed|not supported|pseudoscience|quackery|nonsense claim|gaslight|that's not (?:true|right|how)|it's not a cure|not magic|falso|es mentira|c'est faux|stimmt nicht)\b/;

const REPORTED =
  /\b(?:(?:someone|somebody|people|a (?:guy|woman|man|lady|friend|post|video|article|ad)|my (?:aunt|uncle|mum|mom|dad|mother|father|sister|brother|friend|neighbour|neighbor|coworker|boss|doctor|gp|family|relative)\w*|they|he|she|an? \w+ (?:group|forum|thread)|the internet|facebook|tiktok|influencers?)\s+(?:in another group\s+)?(?:keeps? |kept |always |once |just )?(?:told me|tells me|said|says|saying|claimed|claims|claiming|insist\w*|forward\w*|posted|posts|shared|swears?)|saw (?:a|this|that) (?:post|video|claim|article|ad)|(?:video|post|article|ad|claim|meme) (?:saying|claiming|that says)|i used to (?:believe|think)|they say|people say|supposedly|so-called|alleged(?:ly)?|if you say|when you say|to say|saying that|statements? like|you can['’]?t (?:seriously |really )?(?:believe|think|say)|i never said|never said that|called (?:me|the op|her|him|us|them|each other)|(?:told|tells) me (?:that )?(?:people|everyone|all)|someone at work)\b/;

const HEDGE =
  /\b(?:for me|to me|helped me|helps me|works for me|worked for me|in my (?:experience|case)|ymmv|might|may help|may work|seems to|i think|i feel like|i find|not saying|everyone'?s (?:body|case) is different|everyone is different|different for everyone|not for everyone|ask your (?:doctor|pharmacist|gp|neuro|rheumy|prescriber|specialist)|talk to your (?:doctor|surgeon|gp|pharmacist|prescriber|neuro|rheumy)|check with your|speak to your|run it by your|parlez-en|hable con su|sprich mit deinem)\b/;

const HARM_REDUCTION =
  /\b(?:(?:please |never |don't|dont|do not|shouldn't|should not|not to|avoid|careful (?:with|not to)|never ever)\s*(?:\w+\s+){0,4}?(?:mix|mixing|combine|combining|go cold turkey|cold turkey|stop (?:suddenly|abruptly)|double(?: up)?|drink|alcohol|drive|use alone|take (?:it|them) with|crush|exceed)|naloxone|narcan|never use alone|start low|go slow|taper(?:ing)? (?:slowly|off) (?:with|on|per)|ask your pharmacist)\b/;

// A recovery story ("three years ago I wanted to die; today…") is sharing, not a crisis; the
// same sentence with anything about now or next ("…and tonight I will") is not recalled.
const PAST_TIME =
  /\b(?:(?:\d+|a|a few|few|two|three|four|five|six|seven|eight|nine|ten|several|many|some|a couple of)\s+(?:years?|months?)\s+ago|back (?:then|in (?:19|20)\d\d)|last year|in the past|years back|at my (?:lowest|worst)|when i was (?:younger|a (?:teen|teenager|kid|student)|at my (?:lowest|worst)))\b/;
// ("still here", "still alive" are how recovery stories end, not a present crisis.)
const NOW_OR_NEXT =
  /\b(?:now|today|tonight|tomorrow|again|anymore|any more|going to|gonna|will|this time|still(?! (?:here|alive|around|standing|going))|these days)\b/;

export interface PostSpeech {
  sentences: Sentence[];
  /** The post argues against a claim somewhere; claims it reports or quotes are not its own. */
  debunking: boolean;
}

export function analyseSpeech(norm: string): PostSpeech {
  const sentences = splitSentences(norm).map(({ start, end }) => classify(norm.slice(start, end), start, end));
  return { sentences, debunking: sentences.some((s) => s.debunk) };
}

export function classify(text: string, start = 0, end = text.length): Sentence {
  const body = text.replace(/^[\s"'“”‘’(@\w]*?:\s+/, (m) => (m.length < 25 ? '' : m)).replace(FILLER, '');
  const question = /\?\s*["')\]]*\s*(?:\p{Extended_Pictographic}\s*)*$/u.test(text) || QUESTION_START.test(body);
  const directive = !question && (IMPERATIVE_VERB.test(body) || DIRECTIVE_ANYWHERE.test(text));
  const selfReport = SELF.test(text) && !directive && !YOU.test(text);
  return {
    start,
    end,
    text,
    question,
    directive,
    selfReport,
    debunk: DEBUNK.test(text),
    hedged: HEDGE.test(text),
    reported: REPORTED.test(text),
    harmReduction: HARM_REDUCTION.test(text),
    recalled: PAST_TIME.test(text) && !NOW_OR_NEXT.test(text),
  };
}

/** The languages Hearth's policies are written for; 'und' when a post gives too little evidence. */
export type Language = 'en' | 'es' | 'fr' | 'de' | 'und';

// Why a stopword count and not a library. Measured on 204 short forum-like sentences (en, es,
// fr, de, mixed, and a few with no language; the last 50 written after the lists were drafted),
// given as the scorer gives them, the lower-cased accent-folded `norm` view (times per post on
// a small shared VM):
//   franc-min, only these 4 languages   194 right, 10 wrong,  ~45 µs a post
//   tinyld, only these 4 languages      194 right, 10 wrong, ~155 µs
//   eld medium, 4-language subset       201 right,  3 wrong,  ~24 µs, but a 2 MB n-gram table:
//                                       0.6 s and ~64 MB of heap in every worker process
//   these lists                         198 right,  0 wrong (6 'und'),  ~4 µs, nothing to load
// A confidently wrong language is worse than 'und', so the lists win.
// Portuguese and Italian are listed only so that their posts come out 'und' instead of being
// mistaken for Spanish or French.
const STOPWORDS: Record<Exclude<Language, 'und'> | 'pt' | 'it', string> = {
  en: `the and to of i it is in that this my me you was for with have but not are be on so just do what if can at they
    he she we been about get got go going how when why where because really am im dont its had has any anyone would or
    all know too very some your an from there will out up who does did could them their our us were which here again
    also still than then should much every everyone thanks thank hi sorry like more only other these those by into
    after before over never always today tonight tomorrow night week feel feeling take took went made make back well
    him his her ve ll re a`,
  es: `el la los las de del que y en un una es por con no para lo me mi se al pero más muy está estoy estás están estaba
    tengo tienes tiene yo tú ella ellos ya todo todos todas como cuando hay eso esto este esta estos también porque
    nada ni le les sin hoy mucho mucha muchos muchas bien mal algo alguien alguna algún hace son soy eres fue qué cómo
    puedo puede así mis su sus te os nos aquí ahora siempre nunca donde gracias hola tan ha han he hemos había otra
    otro vez día días noche mañana semana poco menos después antes desde hasta sobre entre cada quien sola solo sé
    creo pues entonces mejor peor a`,
  fr: `le la les de des du et est je tu il elle nous vous ils elles me te se en y un une pas ne que qui dans pour sur
    avec mais ou très plus mon ma mes ton ta tes son sa ses ce cet cette ces suis es sommes êtes sont ai as avons avez ont avait
    au aux moi toi lui eux tout tous toute toutes fait faire bien être avoir même ça cela donc encore depuis aussi
    quand comme rien jamais peu on ici votre vos notre nos leur chez sans déjà vraiment toujours beaucoup trop été
    était merci bonjour aujourd peux peut va vais vas sais sait mieux tellement alors après avant pendant quelque
    quelqu quelques chaque personne autre autres oui non jour nuit semaine désolé désolée a`,
  de: `der die das und ich ist nicht ein eine einen einer einem zu mit es sich auf den dem auch aber wie mir mich mein
    meine meiner meinem dein deine habe hab hast haben hatte bin bist sind war waren noch wenn nur schon oder kann
    kannst können muss will möchte hat sehr heute weil dass jetzt immer keine kein was im vom zum zur beim seit hier
    du wird wurde werden mal nach bei für an alle allen euch eure euer uns unser wir sie er ihr ihre doch nichts
    viel ganz gar diese dieser etwas geht gut danke ob jemand niemand man mehr wieder denn dann also aus um über
    ohne gegen bis am ins tag tage woche nacht morgen abend besser schlecht`,
  pt: `não com uma eu você isso muito está estou também mas meu minha os as do da dos das em ao pelo pela tenho são
    foi já obrigado obrigada`,
  it: `il di che non per una sono ho gli della nel con mi ma anche molto questo sto è io ti si lo hai grazie`,
};

// Letters that only some of the four languages use: a hint when the text still has its accents.
const LETTER_HINTS: Array<[RegExp, Language]> = [
  [/[ñ¿¡áíóú]/, 'es'],
  [/[çœèêàùâîôûëï]/, 'fr'],
  [/[äöüß]/, 'de'],
];

// French elided articles and pronouns: "j'ai", "c'est", "l'hôpital", "qu'il".
const ELISION = /(?:^|[^\p{L}])(?:[cdjlmnst]|qu)['’](?=\p{L})/gu;

const NON_ASCII = /[^ -~]/;
const WORD_BREAK = /[^\p{L}]+/u;
const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '');

// For each folded word, its languages' shares: a word of two languages counts half to each.
const WEIGHTS = buildWeights();

function buildWeights(): Map<string, Array<[string, number]>> {
  const languages = new Map<string, string[]>();
  for (const [language, words] of Object.entries(STOPWORDS)) {
    for (const word of words.split(/\s+/)) {
      if (!word) continue;
      for (const form of new Set([word, fold(word)])) {
        const list = languages.get(form) ?? [];
        if (!list.includes(language)) list.push(language);
        languages.set(form, list);
      }
    }
  }
  const weights = new Map<string, Array<[string, number]>>();
  for (const [word, list] of languages)
    weights.set(
      word,
      list.map((language) => [language, 1 / list.length]),
    );
  return weights;
}

// A word and a half: one unambiguous function word is not enough, two are.
const MIN_EVIDENCE = 1.5;

/**
 * The language of a short post, from the function words it uses: English, Spanish, French or
 * German, or 'und' when there is too little evidence or no clear winner. Mixed posts go to the
 * language most of their function words belong to ("Ay this flare me está matando, I swear" is
 * English). Accepts the original text or an already lower-cased, accent-folded view.
 */
export function detectLanguage(text: string): Language {
  const lower = text.toLowerCase();
  const scores: Record<string, number> = { en: 0, es: 0, fr: 0, de: 0, pt: 0, it: 0 };
  // Most posts, and every normalised view, are plain ASCII: then no word needs folding or hints.
  const accentedText = NON_ASCII.test(lower);
  for (const word of lower.split(WORD_BREAK)) {
    const accented = accentedText && NON_ASCII.test(word);
    const shares = WEIGHTS.get(word) ?? (accented ? WEIGHTS.get(fold(word)) : undefined);
    if (shares) for (const [language, share] of shares) scores[language] = (scores[language] ?? 0) + share;
    if (accented) for (const [hint, language] of LETTER_HINTS) if (hint.test(word)) scores[language] = (scores[language] ?? 0) + 0.5;
  }
  scores.fr = (scores.fr ?? 0) + (lower.match(ELISION)?.length ?? 0);
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked as [[string, number], [string, number]];
  if (best[1] < MIN_EVIDENCE || best[1] === second[1]) return 'und';
  return best[0] === 'pt' || best[0] === 'it' ? 'und' : (best[0] as Language);
}

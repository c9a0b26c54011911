import { alternation, topLevelAlternatives } from '../policies/alternation.ts';
import type { Policy, SentenceFlag, Signal } from '../policies/schema.ts';
import { type ClaimMatcher, createClaimMatcher } from './claims/claim-matcher.ts';
import { detectors } from './detectors/index.ts';
import type { ScorerKnowledge } from './knowledge.ts';
import { extractFeatures } from './model/features.ts';
import { compileModel, type LinearModel, type Prediction, predictAll } from './model/linear-model.ts';
import { createLiteralScanner } from './prefilter/literal-scanner.ts';
import { requiredLiterals } from './prefilter/required-literals.ts';
import { regexMatches } from './regex-matches.ts';
import type { Sentence } from './speech/sentences.ts';
import { analyseSpeech } from './speech/speech-acts.ts';
import { subjectIsOther } from './speech/subject.ts';
import { detectLanguage } from './text/detect-language.ts';
import { type PreparedText, prepareText, type TextFormat, toOriginalSpan } from './text/prepare-text.ts';
import type { Evidence, EvidenceStrength, MatchedClaim, PolicyResult } from './types.ts';

export interface LocalScore {
  policies: PolicyResult[];
  language: string;
  /** Which local scorers contributed: the rules always, the linear model when one is loaded. */
  scorers: string[];
}

export interface LocalScorer {
  score(text: string, format?: TextFormat): LocalScore;
  /** The model's input features for a post (for training it). */
  features(text: string, format?: TextFormat): string[];
  /**
   * Ids (`policy/signal`) of the rule signals that fire on a post, amplifiers included, with no
   * model and no language detection: the cheap part of scoring, for the crisis check at ingest.
   */
  firedSignals(text: string, format?: TextFormat): string[];
}

/** Fewer letters than this outside quotations, and the quotations count as the author's. */
const MIN_OWN_LETTERS = 12;

/** The highest score the model alone can give; below every policy's `remove` band. */
const MODEL_SCORE_CAP = 0.95;

/** A signal needs one hit to count; more only add evidence, and each costs a context check. */
const MAX_HITS_PER_SIGNAL = 25;

interface CompiledSignal {
  signal: Signal;
  /** Global regex over `norm` for patterns; undefined for detectors. */
  regex?: RegExp;
  /** For `match: claims`: the claims base, indexed. */
  claims?: ClaimMatcher;
  /** For `explain_with`: each hazard entry's terms, to say which entry a hit is and why it harms. */
  explanations?: Array<{ test: RegExp; detail: string }>;
  /**
   * Indexes (into the scorer's literal scanner) of literals one of which every match of
   * `regex` contains; undefined when the pattern has no such literals and must always run.
   */
  literals?: number[];
  /**
   * For a pattern built on a hazard lexicon (`{{harmful_acts}}`, `{{dangerous_remedies}}…cures`):
   * one regex per lexicon entry, each with its own literals, so only the entries whose words occur
   * in a post run. A hundred-term alternation otherwise runs on almost every post, since some
   * term's literal ("eye", "run") almost always occurs.
   */
  parts?: Array<{ regex: RegExp; literals?: number[] }>;
}

interface CompiledPolicy {
  policy: Policy;
  signals: CompiledSignal[];
}

/** A match in original-text coordinates, with the sentence it falls in. */
interface Hit {
  start: number;
  end: number;
  sentence: Sentence | undefined;
  /** Where the match starts in the matching view, for regex hits: what precedes it in its clause. */
  normStart?: number;
  /** Why this hit is harmful, when the signal's knowledge says (a hazard's reason, a claim's fact). */
  detail?: string;
  claim?: MatchedClaim;
}

/** A claim-matching signal's default closeness in meaning, when its policy file does not set one. */
const DEFAULT_MIN_SIMILARITY = 0.65;
/**
 * Below a signal's threshold a matched claim is not evidence, but when the model flags the post
 * the closest known claim (from this closeness) tells the moderator what it resembles.
 */
const HINT_SIMILARITY = 0.45;

/** What a policy's rules found: the result, and what the model's verdict may lean on. */
interface RuleOutcome {
  result: PolicyResult;
  fired: string[];
  /** Hits of strong amplifiers (crisis language): not a flag alone, but what makes a model's flag strong. */
  support: { evidence: Evidence[]; rationale: string } | undefined;
  /** The closest known false claim found below the claim signal's threshold. */
  hint: MatchedClaim | undefined;
}

/**
 * The local scorer: every policy's signals (patterns using shared word lists, personal-data detectors) are
 * matched against a prepared view of the post, kept only where the sentence's speech act fits
 * (a directive, a claim stated as fact, data about someone else), and combined as a
 * noisy-or. Pure and deterministic; compiled once per policy set.
 */
export function createLocalScorer(policies: Policy[], model: LinearModel | undefined, knowledge: ScorerKnowledge): LocalScorer {
  const literals = new LiteralIndex();
  const lexicons = lexiconAlternations(knowledge.hazards);
  const compiled: CompiledPolicy[] = policies.map((policy) => ({
    policy,
    signals: policy.signals.map((signal) => compileSignal(signal, literals, knowledge, lexicons)),
  }));
  // Most signals cannot match most posts; one pass over the post finds which can, so that
  // only their regexes run (the regexes were most of the scorer's time).
  const scanner = createLiteralScanner(literals.all);
  // Each policy file says at what probability the model flags it, so it can change without retraining.
  const compiledModel = model ? compileModel(model, Object.fromEntries(policies.map((p) => [p.id, p.model_flag_at]))) : undefined;
  const applyRules = (text: string, format: TextFormat) => {
    let prepared = prepareText(text, format);
    // A post that is nothing but a quotation says it in the author's own voice; otherwise
    // anyone could exempt a post from scoring by starting every line with "> ".
    if (prepared.quoted.length > 0 && (prepared.norm.match(/\p{L}/gu)?.length ?? 0) < MIN_OWN_LETTERS) {
      prepared = prepareText(text, format, { keepQuotes: true });
    }
    const speech = analyseSpeech(prepared.norm, knowledge.speech);
    const ctx: ScoringContext = {
      prepared,
      sentences: speech.sentences,
      debunking: speech.debunking,
      thingAddressedAt: prepared.norm.search(knowledge.speech.thingAddressed),
      cues: knowledge.speech,
      detectorCache: new Map(),
      literalsPresent: scanner.scan(prepared.norm),
    };
    return { ctx, speech, prepared, rules: compiled.map((c) => scorePolicy(c, ctx)) };
  };
  const analyse = (text: string, format: TextFormat) => {
    const { ctx, speech, prepared, rules } = applyRules(text, format);
    const language = detectLanguage(prepared.norm);
    // Only the model (and training it) needs features: a rules-only scorer skips the work.
    const featuresOf = (norm: string, sentences: Sentence[]) =>
      extractFeatures({
        norm,
        sentences,
        firedSignals: rules.flatMap((r) => r.fired.map((id) => `${r.result.policy}/${id}`)),
        detectors: [...ctx.detectorCache.entries()].filter(([, hits]) => hits.length > 0).map(([name]) => name),
        language,
        stopWords: knowledge.stopWords,
      });
    const features = () => featuresOf(prepared.norm, speech.sentences);
    /**
     * The model's probability for `policy` on the post without the sentences its flag may not
     * rest on (blanked, so offsets hold), or undefined when the post has none.
     */
    const withoutSentencesItMayNotRestOn = (policy: Policy): number | undefined => {
      if (!compiledModel) return undefined;
      const excluded = speech.sentences.filter((s) => modelMayNotRestOn(policy, s));
      if (excluded.length === 0) return undefined;
      let norm = prepared.norm;
      for (const s of excluded) norm = norm.slice(0, s.start) + ' '.repeat(s.end - s.start) + norm.slice(s.end);
      const kept = speech.sentences.filter((s) => !excluded.includes(s));
      return predictAll(compiledModel, featuresOf(norm, kept)).get(policy.id)?.probability;
    };
    return { ctx, rules, language, features, withoutSentencesItMayNotRestOn };
  };
  return {
    score(text, format = 'text') {
      const { ctx, rules, language, features, withoutSentencesItMayNotRestOn } = analyse(text, format);
      const predictions = compiledModel ? predictAll(compiledModel, features()) : undefined;
      const results = rules.map(({ result }, i) => {
        const prediction = predictions?.get(result.policy);
        const policy = compiled[i]?.policy;
        const rule = rules[i] as RuleOutcome;
        return prediction && policy ? withModel(rule, policy, prediction, ctx, () => withoutSentencesItMayNotRestOn(policy)) : result;
      });
      return { policies: results, language, scorers: model ? ['local-rules', 'local-model'] : ['local-rules'] };
    },
    features(text, format = 'text') {
      return [...analyse(text, format).features().keys()];
    },
    firedSignals(text, format = 'text') {
      return applyRules(text, format).rules.flatMap((r) => r.fired.map((id) => `${r.result.policy}/${id}`));
    },
  };
}

/**
 * Blends the rules with the linear model. The model's probability is the score, since it was
 * trained with the rule signals among its inputs; a rule score at or above the policy's
 * `rules_stand_at` is never lowered by it.
 */
function withModel(
  { result: rule, support, hint }: RuleOutcome,
  policy: Policy,
  prediction: Prediction,
  ctx: ScoringContext,
  ownWordsProbability: () => number | undefined,
): PolicyResult {
  const { prepared } = ctx;
  // The model alone may hold a post for a moderator but not remove it: removal needs rule
  // evidence a moderator can read. Its probabilities also run close to 1 on clear cases,
  // which would otherwise put every confident call in the top band.
  const probability = Math.min(MODEL_SCORE_CAP, Math.round(prediction.probability * 1000) / 1000);
  const score = rule.score >= policy.rules_stand_at ? Math.max(rule.score, probability) : probability;
  const flagged = score >= policy.flag_at;
  // What the flag stands on: the rules' evidence when any fired, else the model's word weights.
  if (rule.strength !== 'none' || !flagged)
    return { ...rule, score, flagged, strength: flagged ? (rule.strength ?? 'rule') : rule.strength };
  // The model flags and the post speaks the policy's own language (crisis words about the
  // writer): that language, not the model's word weights, is the evidence.
  if (support) return { ...rule, score, flagged, strength: 'strong', evidence: support.evidence, rationale: support.rationale };
  // Flagged by the model alone. Without the sentences the policy says cannot carry such a flag
  // (someone else's words, "comments like …"; for claims, a question), the model must still flag
  // the post: otherwise the flag would rest on what the member did not say or assert.
  const ownWords = ownWordsProbability();
  if (ownWords !== undefined && ownWords < policy.flag_at)
    return { ...rule, score: Math.min(score, BELOW_FLAG * policy.flag_at), flagged: false };
  // The words that weighed most are the evidence.
  const drivers = prediction.drivers();
  // Several features can point at one word ("golpe" as a word and in a phrase): merged, as rule hits are.
  const spans = drivers.map((f) => snapSpan(prepared.original, toOriginalSpan(prepared.normMap, f.start, f.end)));
  const evidence = evidenceOfSpans(spans, prepared.original);
  const words = evidence
    .map((e) => `"${e.text}"`)
    .slice(0, 3)
    .join(', ');
  const closest = hint ? `; closest known false claim: "${hint.claim}" Fact: ${hint.fact} (${hint.source.name}: ${hint.source.url})` : '';
  return {
    ...rule,
    score,
    flagged,
    strength: 'model',
    evidence,
    rationale: `wording typical of ${policy.title.toLowerCase()} (${words})${closest}`,
    ...(hint ? { claim: hint } : {}),
  };
}

/** A model score kept as a score but held under the flag when its words cannot carry it. */
const BELOW_FLAG = 0.98;

/** The sentence is of a kind the policy's model flag may not rest on (`model_unless`). */
function modelMayNotRestOn(policy: Policy, sentence: Sentence | undefined): boolean {
  return sentence !== undefined && policy.model_unless.some((flag) => sentenceKindTest[flag](sentence));
}

/**
 * The literals the prefilter scans for, each once. A literal longer than a few characters is
 * kept as its first characters: any part of a required literal is required too, and the
 * multiplied-out phrases of a big lexicon ("drinking a little bleach", "swallowing diluted
 * bleach"…) would otherwise make an automaton of hundreds of thousands of states to build.
 */
class LiteralIndex {
  readonly all: string[] = [];
  private readonly indexOf = new Map<string, number>();
  add(literal: string): number {
    const kept = literal.slice(0, MAX_LITERAL_LENGTH);
    let index = this.indexOf.get(kept);
    if (index === undefined) {
      index = this.all.push(kept) - 1;
      this.indexOf.set(kept, index);
    }
    return index;
  }
}
const MAX_LITERAL_LENGTH = 12;

interface LexiconAlternation {
  /** The lexicon as patterns use it, `{{name}}` expanded. */
  whole: string;
  /** Each entry's terms alone. */
  entries: string[];
}

function lexiconAlternations(hazards: ScorerKnowledge['hazards']): LexiconAlternation[] {
  return [...hazards.values()].map((entries) => ({
    whole: alternation(entries.flatMap((e) => e.terms)),
    entries: entries.map((e) => alternation(e.terms)),
  }));
}

/** Compiles a signal's regex, registering the literals its matches require. */
function compileSignal(signal: Signal, literals: LiteralIndex, knowledge: ScorerKnowledge, lexicons: LexiconAlternation[]): CompiledSignal {
  if (signal.match === 'claims') {
    const claims = createClaimMatcher(knowledge.claims, {
      stopWords: knowledge.stopWords,
      vectors: knowledge.vectors,
      minSimilarity: Math.min(HINT_SIMILARITY, signal.min_similarity ?? DEFAULT_MIN_SIMILARITY),
      normalise: (text) => prepareText(text, 'text').norm,
    });
    return { signal, claims };
  }
  const explanations = signal.explain_with
    ? (knowledge.hazards.get(signal.explain_with) ?? []).map((entry) => ({
        test: new RegExp(entry.terms.map((t) => `(?:${t})`).join('|'), 'u'),
        detail: `${entry.reason} (${entry.source.name}: ${entry.source.url})`,
      }))
    : undefined;
  if (!signal.pattern) return { signal, explanations };
  const literalsOf = (pattern: string) => requiredLiterals(pattern)?.map((literal) => literals.add(literal));
  const pieces = splitByHazardEntry(signal.pattern, lexicons);
  if (pieces.length > 1) {
    const parts = pieces.map((pattern) => ({ regex: new RegExp(pattern, 'gu'), literals: literalsOf(pattern) }));
    return { signal, parts, explanations };
  }
  return { signal, regex: new RegExp(signal.pattern, 'gu'), literals: literalsOf(signal.pattern), explanations };
}

/**
 * A pattern's top-level alternatives, and each alternative that starts with a hazard lexicon
 * (`{{dangerous_remedies}}[^.]{0,60}cures`) once per lexicon entry, so that each piece has its own
 * required literals: a regex that starts with a hundred-term alternation is tried at every
 * position of every post that holds any one of its words. The pieces match what the pattern does.
 */
function splitByHazardEntry(pattern: string, lexicons: LexiconAlternation[]): string[] {
  let split = false;
  const pieces = topLevelAlternatives(pattern).flatMap((alternative) => {
    const boundary = alternative.startsWith('\\b') ? '\\b' : '';
    const body = alternative.slice(boundary.length);
    const lexicon = lexicons.find((l) => body.startsWith(l.whole));
    if (!lexicon) return [alternative];
    split = true;
    const rest = body.slice(lexicon.whole.length);
    return lexicon.entries.map((entry) => `${boundary}${entry}${rest}`);
  });
  return split ? pieces : [pattern];
}

interface ScoringContext {
  prepared: PreparedText;
  sentences: Sentence[];
  debunking: boolean;
  /**
   * Where the post starts speaking to an illness, pain or a body part ("Lupus, you absolute
   * bastard… I'll beat you yet"), or -1: from there to the end of the paragraph its "you" is that thing.
   */
  thingAddressedAt: number;
  cues: ScorerKnowledge['speech'];
  detectorCache: Map<string, Hit[]>;
  /** Flags by literal index from the scanner: which required literals occur in `norm`. */
  literalsPresent: Uint8Array;
}

function scorePolicy({ policy, signals }: CompiledPolicy, ctx: ScoringContext): RuleOutcome {
  const fired: Array<{ signal: Signal; hits: Hit[] }> = [];
  let hint: MatchedClaim | undefined;
  for (const compiled of signals) {
    let hits = findHits(compiled, ctx).filter((hit) => accepts(compiled.signal, hit, ctx));
    if (compiled.claims) {
      for (const h of hits) if (h.claim && (!hint || h.claim.similarity > hint.similarity)) hint = h.claim;
      const threshold = compiled.signal.min_similarity ?? DEFAULT_MIN_SIMILARITY;
      hits = hits.filter((h) => (h.claim?.similarity ?? 0) >= threshold);
    }
    if (hits.length > 0) fired.push({ signal: compiled.signal, hits });
  }
  const primary = fired.filter((f) => f.signal.role === 'primary');
  const counted = primary.length > 0 ? fired : [];
  let miss = 1;
  for (const f of counted) miss *= 1 - f.signal.weight;
  const score = Math.round((1 - miss) * 1000) / 1000;
  const flagged = score >= policy.flag_at;
  const strongest = [...primary].sort((a, b) => Number(b.signal.strong) - Number(a.signal.strong) || b.signal.weight - a.signal.weight)[0];
  const explained = strongest?.hits.find((h) => h.detail);
  const claim = primary.flatMap((f) => f.hits).find((h) => h.claim)?.claim;
  const strength: EvidenceStrength = !strongest ? 'none' : strongest.signal.strong ? 'strong' : 'rule';
  const result: PolicyResult = {
    policy: policy.id,
    score,
    flagged,
    // Evidence is kept for any score, so a forum that lowers `flag_at` still sees why.
    evidence: evidenceOf(counted, ctx.prepared.original),
    rationale: strongest ? (explained ? `${strongest.signal.rationale}: ${explained.detail}` : strongest.signal.rationale) : 'no signal',
    strength,
    ...(claim ? { claim } : {}),
  };
  const supporting = fired.filter((f) => f.signal.role === 'amplifier' && f.signal.strong);
  const support =
    supporting.length > 0
      ? { evidence: evidenceOf(supporting, ctx.prepared.original), rationale: (supporting[0] as { signal: Signal }).signal.rationale }
      : undefined;
  return { result, fired: fired.map((f) => f.signal.id), support, hint: claim ? undefined : hint };
}

function findHits({ signal, regex, literals, claims, explanations, parts }: CompiledSignal, ctx: ScoringContext): Hit[] {
  if (claims) return claimHits(claims, ctx);
  if (parts) {
    // Each entry's matches, in the order of the post, as one regex over all entries would find them.
    const hits = parts.flatMap((part) => regexHits(part.regex, part.literals, explanations, ctx));
    return hits.sort((a, b) => a.start - b.start).slice(0, MAX_HITS_PER_SIGNAL);
  }
  if (regex) return regexHits(regex, literals, explanations, ctx);
  return detectorHits(signal, ctx);
}

function regexHits(
  regex: RegExp,
  literals: number[] | undefined,
  explanations: CompiledSignal['explanations'],
  ctx: ScoringContext,
): Hit[] {
  const { prepared } = ctx;
  if (literals && !literals.some((i) => ctx.literalsPresent[i] === 1)) return [];
  const hits: Hit[] = [];
  for (const m of regexMatches(regex, prepared.norm, MAX_HITS_PER_SIGNAL)) {
    // Whitespace at a match's edges can stand for removed markup (a newline for </p>).
    const start = m.index + (m[0].length - m[0].trimStart().length);
    const end = m.index + m[0].trimEnd().length;
    if (end <= start) continue;
    const span = snapSpan(prepared.original, toOriginalSpan(prepared.normMap, start, end));
    const detail = explanations?.find((e) => e.test.test(prepared.norm.slice(start, end)))?.detail;
    hits.push({ ...span, sentence: sentenceAtNorm(ctx.sentences, m.index), normStart: start, ...(detail ? { detail } : {}) });
  }
  return hits;
}

function detectorHits(signal: Signal, ctx: ScoringContext): Hit[] {
  const { prepared } = ctx;
  const name = signal.detector as keyof typeof detectors;
  let hits = ctx.detectorCache.get(name);
  if (!hits) {
    hits = detectors[name](prepared.plain)
      .slice(0, MAX_HITS_PER_SIGNAL)
      .map((s) => {
        const span = snapSpan(prepared.original, toOriginalSpan(prepared.plainMap, s.start, s.end));
        return { ...span, sentence: sentenceAtOriginal(ctx, span.start) };
      });
    ctx.detectorCache.set(name, hits);
  }
  return hits;
}

/**
 * Sentences stated as fact that match a known false claim. Whether each counts (not asked, not
 * hedged, not a debunk) is the signal's `when: claim`, checked like any other hit.
 */
function claimHits(claims: ClaimMatcher, ctx: ScoringContext): Hit[] {
  const hits: Hit[] = [];
  for (const sentence of ctx.sentences) {
    if (sentence.question || sentence.debunk) continue;
    const match = claims.match(ownWordsOf(sentence, ctx));
    if (!match) continue;
    const trimmedStart = sentence.start + (sentence.text.length - sentence.text.trimStart().length);
    const trimmedEnd = sentence.start + sentence.text.trimEnd().length;
    const span = snapSpan(ctx.prepared.original, toOriginalSpan(ctx.prepared.normMap, trimmedStart, trimmedEnd));
    const { claim, similarity } = match;
    hits.push({
      ...span,
      sentence,
      detail: `"${claim.claim}" Fact: ${claim.fact} (${claim.source.name}: ${claim.source.url})`,
      claim: { id: claim.id, claim: claim.claim, fact: claim.fact, source: claim.source, similarity },
    });
    if (hits.length >= MAX_HITS_PER_SIGNAL) break;
  }
  return hits;
}

/** A passage in double quotation marks on one line. */
const DOUBLE_QUOTED = /["“„«][^"“”„«»\n]{1,300}["”»]/g;

/**
 * The sentence without what it quotes someone else as saying ("got told \"…\" by a nurse"), as
 * `accepts` treats quoted words after a verb of saying for every other signal: a claim-matching
 * hit spans its whole sentence, so the quotation has to be taken out before matching.
 */
function ownWordsOf(sentence: Sentence, ctx: ScoringContext): string {
  const { text } = sentence;
  const quotesSomeone = ctx.debunking || sentence.reported || sentence.counterSpeech || ctx.cues.reportingVerb.test(text);
  return quotesSomeone ? text.replace(DOUBLE_QUOTED, (quoted) => ' '.repeat(quoted.length)) : text;
}

/** The kinds a sentence is known to be without a match: what a model flag can be tested against. */
const sentenceKindTest: Record<Policy['model_unless'][number], (s: Sentence) => boolean> = {
  question: (s) => s.question,
  self_report: (s) => s.selfReport,
  debunk: (s) => s.debunk,
  hedged: (s) => s.hedged,
  reported: (s) => s.reported,
  counter_speech: (s) => s.counterSpeech,
  recalled: (s) => s.recalled,
};

const flagTest: Record<SentenceFlag, (s: Sentence, ctx: ScoringContext, hit: Hit) => boolean> = {
  ...sentenceKindTest,
  directive: (s) => s.directive,
  negated: (s, ctx, hit) => negatedInClause(s, ctx, hit),
  another_persons: (s, ctx, hit) => anotherPersonsWords(s, ctx, hit),
  harm_reduction: (s) => s.harmReduction,
  debunking_post: (_s, ctx) => ctx.debunking,
  aimed_at_thing: (s, ctx) => aimedAtThing(s, ctx),
};

/**
 * A sentence is aimed at a thing when it names one and no person, or when it follows, in the
 * same paragraph, the words that start speaking to the thing and names no one but "you".
 */
function aimedAtThing(s: Sentence, ctx: ScoringContext): boolean {
  const namesThing = ctx.cues.nonPersonTarget.test(s.text);
  if (namesThing && !ctx.cues.personTarget.test(s.text)) return true;
  const at = ctx.thingAddressedAt;
  if (at < 0 || s.end <= at) return false;
  if (namesThing) return true;
  if (s.start > at && ctx.prepared.norm.slice(at, s.start).includes('\n\n')) return false;
  return !ctx.cues.personTarget.test(s.text.replace(ctx.cues.everyYou, ' '));
}

/**
 * The words before a hit, in its clause, deny or forbid it: "never shake a baby", "call poison
 * control and don't make them vomit". The act is then warned against, not advised.
 */
function negatedInClause(s: Sentence, ctx: ScoringContext, hit: Hit): boolean {
  if (hit.normStart === undefined || hit.normStart < s.start) return false;
  return ctx.cues.negationBefore.test(ctx.prepared.norm.slice(s.start, hit.normStart));
}

/**
 * The words of a hit are another person's: in its sentence, the last word before it that names a
 * subject names someone else, or someone tells the writer to do it. The writer named last ("I told
 * her I've been thinking about suicide") keeps them the writer's.
 */
function anotherPersonsWords(s: Sentence, ctx: ScoringContext, hit: Hit): boolean {
  if (hit.normStart === undefined || hit.normStart < s.start) return false;
  const before = ctx.prepared.norm.slice(s.start, hit.normStart);
  if (ctx.cues.toldTo.test(before)) return true;
  const lastOther = lastIndexOf(ctx.cues.otherSubject, before);
  return lastOther >= 0 && lastOther > lastIndexOf(ctx.cues.writerSubject, before);
}

function lastIndexOf(pattern: RegExp, text: string): number {
  let last = -1;
  for (const m of text.matchAll(pattern)) last = m.index;
  return last;
}

function accepts(signal: Signal, hit: Hit, ctx: ScoringContext): boolean {
  const s = hit.sentence;
  if (!s) return signal.when === 'any' && signal.unless.length === 0;
  if (signal.when === 'directive' && !s.directive) return false;
  if (signal.when === 'not_question' && s.question) return false;
  // A claim is asserted by the author: not asked, not softened, not reported to be rebutted.
  if (signal.when === 'claim' && (s.question || s.hedged || s.debunk || (s.reported && ctx.debunking))) return false;
  if (signal.unless.some((flag) => flagTest[flag](s, ctx, hit))) return false;
  // Words in quotation marks, in a post that reports or rebuts them, or after a verb of saying
  // ("she told me \"…\"", "someone DMed me \"…\""), are someone else's.
  if (
    (ctx.debunking || s.reported || s.counterSpeech || ctx.cues.reportingVerb.test(s.text)) &&
    insideQuotes(ctx.prepared.original, hit.start)
  )
    return false;
  if (signal.subject === 'other' && !subjectIsOther(ctx.prepared.original, hit.start, s.text)) return false;
  return true;
}

/** Sentences are sorted and disjoint: binary search. */
function sentenceAtNorm(sentences: Sentence[], index: number): Sentence | undefined {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid] as Sentence;
    if (index < s.start) hi = mid - 1;
    else if (index >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

function sentenceAtOriginal(ctx: ScoringContext, originalIndex: number): Sentence | undefined {
  const map = ctx.prepared.normMap;
  // normMap is non-decreasing: find the first norm index at or after the original index.
  let lo = 0;
  let hi = map.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((map[mid] ?? 0) < originalIndex) lo = mid + 1;
    else hi = mid;
  }
  return sentenceAtNorm(ctx.sentences, lo);
}

function evidenceOf(fired: Array<{ hits: Hit[] }>, original: string): Evidence[] {
  return evidenceOfSpans(
    fired.flatMap((f) => f.hits),
    original,
  );
}

/**
 * Spans as evidence: sorted, with overlapping or touching spans merged, so a moderator never
 * reads the same words twice and no two items share offsets.
 */
function evidenceOfSpans(raw: ReadonlyArray<{ start: number; end: number }>, original: string): Evidence[] {
  const spans = [...raw].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<{ start: number; end: number }> = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ start: s.start, end: s.end });
  }
  return merged.slice(0, 10).map((s) => ({ start: s.start, end: s.end, text: original.slice(s.start, s.end).toWellFormed() }));
}

const QUOTE_MARKS = /["“”«»„]/g;
// Single quotation marks double as apostrophes ("it's", "dogs'"): a mark opens a quotation only
// after a space or an opening bracket and before a non-space, and closes one only after a
// non-space and before a space, punctuation or the end.
const SINGLE_QUOTE_MARK = /(?<open>(?:^|(?<=[\s([{:;,—–-]))['‘](?=\S))|(?<close>(?<=\S)['’](?=$|[\s.,!?;:)\]}—–-]))/g;

/** True when `index` is inside a quotation on its line: double marks counted, single marks paired. */
function insideQuotes(original: string, index: number): boolean {
  const lineStart = original.lastIndexOf('\n', index - 1) + 1;
  const before = original.slice(lineStart, index);
  if ((before.match(QUOTE_MARKS)?.length ?? 0) % 2 === 1) return true;
  let open = false;
  // One character past the index, so a mark just before it can see what follows.
  for (const mark of original.slice(lineStart, index + 1).matchAll(SINGLE_QUOTE_MARK)) {
    if (mark.index >= before.length) break;
    if (mark.groups?.open) open = true;
    else if (open) open = false;
  }
  return open;
}

const HTML_ENTITY = /^&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

/**
 * Widens a span mapped back to the original so it never cuts a character in two: not a
 * surrogate pair (a maths-bold letter folds to one plain letter), not an HTML entity whose
 * decoded character ended the match. Evidence must be valid text a moderator can read and a
 * database can store.
 */
function snapSpan(original: string, span: { start: number; end: number }): { start: number; end: number } {
  let { start, end } = span;
  const code = (i: number) => original.charCodeAt(i);
  if (start > 0 && code(start) >= 0xdc00 && code(start) <= 0xdfff) start--;
  if (end < original.length && code(end - 1) >= 0xd800 && code(end - 1) <= 0xdbff) end++;
  const amp = original.lastIndexOf('&', end - 1);
  if (amp >= start && amp >= end - 32) {
    const entity = HTML_ENTITY.exec(original.slice(amp, amp + 40));
    if (entity && amp + entity[0].length > end) end = amp + entity[0].length;
  }
  return { start, end };
}

import type { HazardEntry, KnowledgeSource, SpeechCueSources } from '../policies/knowledge-schema.ts';
import type { WordVectors } from './claims/word-vectors.ts';

/** The speech-act cues of `policies/_speech.yaml`, compiled. */
export interface SpeechCues {
  questionStart: RegExp;
  filler: RegExp;
  /** A condition or purpose before the advice: "if you get a cold, …", "to ease a burn, …". */
  leadingClause: RegExp;
  imperativeVerb: RegExp;
  directiveAnywhere: RegExp;
  self: RegExp;
  you: RegExp;
  /** The same words as `you`, every occurrence: to take the reader out of a sentence. */
  everyYou: RegExp;
  debunk: RegExp;
  reported: RegExp;
  counterSpeech: RegExp;
  /** Ends with a denial or prohibition still open in its clause: tested on the words before a hit. */
  negationBefore: RegExp;
  /** Global: every subject word naming the writer, and every one naming another person. */
  writerSubject: RegExp;
  otherSubject: RegExp;
  toldTo: RegExp;
  hedge: RegExp;
  harmReduction: RegExp;
  pastTime: RegExp;
  pastTense: RegExp;
  nowOrNext: RegExp;
  reportingVerb: RegExp;
  nonPersonTarget: RegExp;
  personTarget: RegExp;
  thingAddressed: RegExp;
}

/** One false health claim of `policies/claims/`, with the fact and the public source that debunks it. */
export interface Claim {
  id: string;
  topic: string;
  claim: string;
  fact: string;
  source: KnowledgeSource;
  paraphrases: string[];
}

/**
 * Everything besides the policies that the local scorer knows, all of it from files of the
 * policy set: a change to any of it is a new policy set version.
 */
export interface ScorerKnowledge {
  speech: SpeechCues;
  /** Words that carry no harm alone (pronouns, function words, the product's own name): never a model feature or evidence. */
  stopWords: ReadonlySet<string>;
  claims: readonly Claim[];
  /** Curated hazard lexicons by name (`dangerous_remedies`, `red_flag_symptoms`…), each term with a reason and a source. */
  hazards: ReadonlyMap<string, readonly HazardEntry[]>;
  /** Distilled word vectors for matching claims by meaning; optional, matching falls back to shared words. */
  vectors?: WordVectors;
}

export function compileSpeechCues(sources: SpeechCueSources): SpeechCues {
  // No flags: the cues run on the lower-cased matching view, one test a sentence.
  const re = (s: string) => new RegExp(s);
  return {
    questionStart: re(sources.question_start),
    filler: re(sources.filler),
    leadingClause: re(sources.leading_clause),
    imperativeVerb: re(sources.imperative_verb),
    directiveAnywhere: re(sources.directive_anywhere),
    self: re(sources.self),
    you: re(sources.you),
    everyYou: new RegExp(sources.you, 'g'),
    debunk: re(sources.debunk),
    reported: re(sources.reported),
    counterSpeech: re(sources.counter_speech),
    negationBefore: re(sources.negation_before),
    writerSubject: new RegExp(sources.writer_subject, 'g'),
    otherSubject: new RegExp(sources.other_subject, 'g'),
    toldTo: re(sources.told_to),
    hedge: re(sources.hedge),
    harmReduction: re(sources.harm_reduction),
    pastTime: re(sources.past_time),
    pastTense: re(sources.past_tense),
    nowOrNext: re(sources.now_or_next),
    reportingVerb: re(sources.reporting_verb),
    nonPersonTarget: re(sources.non_person_target),
    personTarget: re(sources.person_target),
    thingAddressed: re(sources.thing_addressed),
  };
}

import { z } from 'zod';

/*
 * The knowledge a policy set carries beside its policies: the speech-act cues, the base of
 * false health claims and the curated hazard lexicons. Each changes verdicts, so each is a
 * file of the set and counts in its version.
 */

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

/** `policies/_speech.yaml`: what kind of sentence a signal is found in. */
export const speechCuesSchema = z
  .object({
    question_start: regexSource,
    filler: regexSource,
    leading_clause: regexSource,
    imperative_verb: regexSource,
    directive_anywhere: regexSource,
    self: regexSource,
    you: regexSource,
    debunk: regexSource,
    reported: regexSource,
    counter_speech: regexSource,
    negation_before: regexSource,
    writer_subject: regexSource,
    other_subject: regexSource,
    told_to: regexSource,
    hedge: regexSource,
    harm_reduction: regexSource,
    past_time: regexSource,
    past_tense: regexSource,
    now_or_next: regexSource,
    reporting_verb: regexSource,
    non_person_target: regexSource,
    person_target: regexSource,
    thing_addressed: regexSource,
  })
  .strict();
export type SpeechCueSources = z.infer<typeof speechCuesSchema>;

const sourceSchema = z.object({ name: z.string().min(2), url: z.string().regex(/^https:\/\/[^\s]+$/, 'an https:// address') }).strict();
export type KnowledgeSource = z.infer<typeof sourceSchema>;

const idSchema = z.string().regex(/^[a-z0-9-]+$/, 'use lower-case letters, digits and -');

/** `policies/claims/<topic>.yaml`: false health claims, each with the fact and who debunks it. */
export const claimFileSchema = z
  .object({
    topic: idSchema,
    title: z.string().min(3),
    claims: z
      .array(
        z
          .object({
            id: idSchema,
            claim: z.string().min(8),
            fact: z.string().min(8),
            source: sourceSchema,
            paraphrases: z.array(z.string().min(8)).min(2, 'give at least 2 paraphrases'),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type ClaimFile = z.infer<typeof claimFileSchema>;

/** `policies/knowledge/<lexicon>.yaml`: dangerous remedies, red-flag symptoms, overdose instructions. */
export const hazardFileSchema = z
  .object({
    entries: z
      .array(
        z
          .object({
            id: idSchema,
            terms: z.array(regexSource).min(1),
            kind: z.string().optional(),
            condition: z.string().optional(),
            reason: z.string().min(8),
            source: sourceSchema,
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type HazardEntry = z.infer<typeof hazardFileSchema>['entries'][number];

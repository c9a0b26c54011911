import { z } from 'zod';
import { detectorNames } from '../moderation/detectors/index.ts';
import { actionOrder, policyIds } from '../moderation/types.ts';

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'giu');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

/** Sentence kinds a signal can require or exclude; see src/moderation/speech/speech-acts.ts. */
export const sentenceFlags = [
  'question',
  'directive',
  'self_report',
  'debunk',
  'hedged',
  'reported',
  'harm_reduction',
  'recalled',
  'debunking_post',
  // Aimed at a thing (an illness, pain, the weather), not a person: hostility needs a human target.
  'aimed_at_thing',
  // Calls out someone else's hostility ("it's not okay to call people…", "posts like \"…\"").
  'counter_speech',
  // The clause before the match denies or forbids it ("never …", "and don't …"): a warning.
  'negated',
  // The words are another person's: the nearest subject before them is someone else ("he's been
  // thinking about suicide"), or someone tells the writer to ("telling me to kill myself").
  'another_persons',
] as const;

/** Sentence kinds known without a match, which a flag from the model alone can be tested against. */
export const modelSentenceFlags = ['question', 'debunk', 'hedged', 'reported', 'counter_speech', 'recalled', 'self_report'] as const;

export const signalSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]+$/, 'use lower-case letters, digits, - and _'),
    /** A regular expression over the matching view: lower-cased, accents folded, de-obfuscated. */
    pattern: regexSource.optional(),
    /** A built-in detector of personal data, run on the original casing. */
    detector: z.enum(detectorNames).optional(),
    /** `claims`: sentences stated as fact that match a known false claim of policies/claims/ by meaning. */
    match: z.enum(['claims']).optional(),
    /** For `match: claims`, how close in meaning (0..1) a sentence must come to a claim. */
    min_similarity: z.number().gt(0).max(1).optional(),
    /** A hazard lexicon of policies/knowledge/ whose matching entry's reason and source explain each hit. */
    explain_with: z
      .string()
      .regex(/^[a-z_]+$/)
      .optional(),
    /**
     * Strong evidence of the policy's own kind (a directive to others, an attack aimed at a
     * person, someone else's personal data, a matched false claim, crisis language). Only
     * strong evidence can remove a post or mark it urgent; anything else reaches `hold` at most.
     */
    strong: z.boolean().default(false),
    /** The sentence must be of this kind. `claim`: stated as fact, not asked, hedged or reported. */
    when: z.enum(['any', 'directive', 'claim', 'not_question']).default('any'),
    /** The signal does not count in sentences of these kinds. */
    unless: z.array(z.enum(sentenceFlags)).default([]),
    /** `other`: the data must be about someone else (third-party cues, no self-disclosure). */
    subject: z.enum(['any', 'other']).default('any'),
    /** An amplifier only adds to a policy that some primary signal already raised. */
    role: z.enum(['primary', 'amplifier']).default('primary'),
    weight: z.number().gt(0).max(1),
    rationale: z.string().min(3),
  })
  .strict()
  .refine((s) => [s.pattern, s.detector, s.match].filter((x) => x !== undefined).length === 1, {
    message: 'a signal needs exactly one of pattern, detector or match',
  });

export const thresholdSchema = z.object({ min: z.number().min(0).max(1), action: z.enum(actionOrder) }).strict();

export const bandSchema = z
  .object({ low: z.number().min(0).max(1), high: z.number().min(0).max(1) })
  .strict()
  .refine((b) => b.low <= b.high, { message: 'low must not exceed high' });

export const policySchema = z
  .object({
    id: z.enum(policyIds),
    version: z.number().int().positive(),
    title: z.string().min(3),
    severity: z.enum(['low', 'medium', 'high', 'critical']),
    definition: z.string().min(10),
    does_not_cover: z.array(z.string().min(3)).min(1),
    /** A score at or above `flag_at` flags the policy. */
    flag_at: z.number().gt(0).max(1),
    /** Score bands to actions; the highest band reached wins. */
    thresholds: z.array(thresholdSchema).min(1),
    /** Scores inside this band are uncertain (later sent to the LLM scorer). */
    uncertain_band: bandSchema,
    /**
     * With a trained model loaded, the model's probability is the score, except that a rule
     * score at or above this stands: the model may raise it but never lower it.
     */
    rules_stand_at: z.number().gt(0).max(1).default(0.65),
    /** The model's probability at which it flags the policy on its own (set at training time). */
    model_flag_at: z.number().gt(0).lt(1).default(0.5),
    /**
     * Sentences a flag from the model alone may not rest on: when every word the model leaned on
     * is in such a sentence, its score stays under `flag_at`. By default someone else's words
     * (reported, or quoted to condemn them); a policy about claims or advice adds the sentences
     * that assert or advise nothing (questions, debunks, a member's own story).
     */
    model_unless: z.array(z.enum(modelSentenceFlags)).default(['reported', 'counter_speech']),
    signals: z.array(signalSchema).min(1),
    examples: z
      .object({
        flagged: z.array(z.string().min(1)).min(10, 'give at least 10 posts that must be flagged'),
        not_flagged: z.array(z.string().min(1)).min(10, 'give at least 10 hard negatives that must not be flagged'),
      })
      .strict(),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;
export type Signal = z.infer<typeof signalSchema>;
export type SentenceFlag = (typeof sentenceFlags)[number];

import { z } from 'zod';
import { policyIds } from '../moderation/types.ts';

/**
 * What the model must answer, as a JSON schema enforced by structured output and checked again
 * here: one judgement per policy asked about. Quotes are the model's evidence, matched back to
 * the post's text; anything it invents is dropped.
 */
export const judgementSchema = z.object({
  judgements: z
    .array(
      z.object({
        policy: z.enum(policyIds),
        flagged: z.boolean(),
        confidence: z.number().min(0).max(1),
        quotes: z.array(z.string().max(500)).max(5),
        rationale: z.string().max(400),
      }),
    )
    .max(policyIds.length),
});

export type LlmJudgements = z.infer<typeof judgementSchema>;
export type LlmJudgement = LlmJudgements['judgements'][number];

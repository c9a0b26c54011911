import { z } from 'zod';
import { actionOrder, policyIds } from '../moderation/types.ts';

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'iu');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

export const signalSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]+$/, 'use lower-case letters, digits, - and _'),
    pattern: regexSource,
    weight: z.number().gt(0).max(1),
    rationale: z.string().min(3),
  })
  .strict();

export const thresholdSchema = z.object({ min: z.number().min(0).max(1), action: z.enum(actionOrder) }).strict();

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
    uncertain_band: z
      .object({ low: z.number().min(0).max(1), high: z.number().min(0).max(1) })
      .strict()
      .refine((b) => b.low <= b.high, { message: 'low must not exceed high' }),
    signals: z.array(signalSchema).min(1),
    examples: z
      .object({
        flagged: z.array(z.string().min(1)),
        not_flagged: z.array(z.string().min(1)),
      })
      .strict(),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;
export type Signal = z.infer<typeof signalSchema>;

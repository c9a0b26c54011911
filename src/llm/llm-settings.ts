import { z } from 'zod';

/** A forum's LLM settings (forums.llm_settings); unset fields take the deployment's defaults. */
export const llmSettingsSchema = z
  .object({
    /** false: this forum's posts are never sent to the LLM. */
    enabled: z.boolean().optional(),
    daily_calls: z.number().int().min(0).optional(),
    daily_tokens: z.number().int().min(0).optional(),
  })
  .strict();
export type LlmSettings = z.infer<typeof llmSettingsSchema>;

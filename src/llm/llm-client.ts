import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { judgementSchema, type LlmJudgements } from './judgement.ts';
import type { ChatMessage } from './prompt.ts';

/** Why an LLM judgement could not be had; each leads to the local verdict raised to review. */
export type LlmFailureReason =
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'invalid_output'
  | 'budget_exhausted'
  | 'circuit_open'
  | 'policy_set_changed'
  | 'error';

export class LlmFailure extends Error {
  constructor(
    readonly reason: LlmFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'LlmFailure';
  }
}

export interface LlmUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface LlmAnswer {
  judgements: LlmJudgements['judgements'];
  usage: LlmUsage;
  model: string;
  latency_ms: number;
}

export interface LlmClientOptions {
  apiKey: string;
  baseUrl?: string;
  model: string;
  timeoutMs: number;
  /** Retries inside the SDK, which waits out a short Retry-After itself before giving up. */
  maxRetries: number;
}

/** The client settings from the deployment's config (`Config['llm']`, apiKey set). */
export function clientOptions(llm: {
  apiKey?: string;
  baseUrl?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
}): LlmClientOptions {
  return { apiKey: llm.apiKey ?? '', baseUrl: llm.baseUrl, model: llm.model, timeoutMs: llm.timeoutMs, maxRetries: llm.maxRetries };
}

export interface LlmClient {
  readonly model: string;
  judge(messages: ChatMessage[]): Promise<LlmAnswer>;
}

/**
 * Any OpenAI-compatible Chat Completions endpoint (OpenAI, Azure OpenAI, vLLM, Ollama) through
 * the official SDK, with structured output. Every failure becomes an LlmFailure with a reason.
 */
export function createLlmClient(opts: LlmClientOptions): LlmClient {
  const client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseUrl, timeout: opts.timeoutMs, maxRetries: opts.maxRetries });
  return {
    model: opts.model,
    async judge(messages) {
      const started = performance.now();
      let completion: Awaited<ReturnType<typeof client.chat.completions.parse>>;
      try {
        completion = await client.chat.completions.parse({
          model: opts.model,
          messages,
          temperature: 0,
          response_format: zodResponseFormat(judgementSchema, 'moderation_judgements'),
        });
      } catch (err) {
        throw classify(err);
      }
      const message = completion.choices[0]?.message;
      const parsed = judgementSchema.safeParse(message?.parsed ?? safeJson(message?.content));
      if (!parsed.success)
        throw new LlmFailure('invalid_output', `the model's answer does not fit the schema: ${parsed.error.issues[0]?.message ?? 'empty'}`);
      return {
        judgements: parsed.data.judgements,
        usage: { prompt_tokens: completion.usage?.prompt_tokens ?? 0, completion_tokens: completion.usage?.completion_tokens ?? 0 },
        model: completion.model || opts.model,
        latency_ms: Math.round(performance.now() - started),
      };
    },
  };
}

function safeJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function classify(err: unknown): LlmFailure {
  if (err instanceof LlmFailure) return err;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new LlmFailure('timeout', 'the model did not answer in time');
  if (err instanceof OpenAI.RateLimitError) return new LlmFailure('rate_limited', 'the endpoint answered 429 (rate limited)');
  if (err instanceof OpenAI.InternalServerError) return new LlmFailure('server_error', `the endpoint answered ${err.status}`);
  if (err instanceof OpenAI.APIError && err.status === undefined)
    return new LlmFailure('error', `could not reach the endpoint: ${err.message}`);
  if (err instanceof OpenAI.APIError) return new LlmFailure('error', `the endpoint answered ${err.status}: ${err.message.slice(0, 200)}`);
  // The SDK's parse step throws on content that is not the JSON asked for.
  if (
    err instanceof SyntaxError ||
    (err as Error)?.name === 'ContentFilterFinishReasonError' ||
    (err as Error)?.name === 'LengthFinishReasonError'
  ) {
    return new LlmFailure('invalid_output', `the model's answer is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  return new LlmFailure('error', (err as Error)?.message?.slice(0, 200) ?? 'unknown error');
}

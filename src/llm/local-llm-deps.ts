import type { Config } from '../config/config.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import type { LlmDeps } from './judge-post.ts';
import { judgementKey } from './judgement-cache.ts';
import { clientOptions, createLlmClient, type LlmAnswer } from './llm-client.ts';

/**
 * LLM parts for one command-line run (`hearth eval --llm`): no budget (the run is the
 * budget) and a cache in memory, so it needs neither Redis nor PostgreSQL.
 */
export function localLlmDeps(config: Config): LlmDeps {
  const { llm } = config;
  const answers = new Map<string, LlmAnswer>();
  return {
    client: createLlmClient(clientOptions(llm)),
    breaker: new CircuitBreaker(llm.breakerThreshold, llm.breakerCooldownMs),
    budget: { reserve: async () => true, spend: async () => {}, usage: async () => ({ calls: 0, tokens: 0 }) },
    cache: {
      key: judgementKey,
      get: async (key) => answers.get(key),
      set: async (key, answer) => {
        answers.set(key, answer);
      },
    },
    defaults: { calls: Number.POSITIVE_INFINITY, tokens: Number.POSITIVE_INFINITY },
  };
}

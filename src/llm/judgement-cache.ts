import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LlmAnswer } from './llm-client.ts';

const TTL_SECONDS = 7 * 24 * 3600;

export interface CacheKeyParts {
  contentHash: string;
  policySetVersion: string;
  model: string;
  promptVersion: string;
  asked: readonly string[];
}

/** What makes two judgements interchangeable: the same content asked the same questions the same way. */
export function judgementKey(parts: CacheKeyParts): string {
  const material = [parts.contentHash, parts.policySetVersion, parts.model, parts.promptVersion, [...parts.asked].sort().join(',')].join(
    '\0',
  );
  return createHash('sha256').update(material).digest('hex');
}

/**
 * Answers already paid for: the same content, asked the same questions under the same policy
 * set, prompt and model, gets the same judgement without another call (an edit reverted, a
 * copy-pasted post, a retried job).
 */
export class JudgementCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(parts: CacheKeyParts): string {
    return `${this.prefix}:llm-cache:${judgementKey(parts)}`;
  }

  async get(key: string): Promise<LlmAnswer | undefined> {
    const raw = await this.redis.get(key);
    return raw ? (JSON.parse(raw) as LlmAnswer) : undefined;
  }

  async set(key: string, answer: LlmAnswer): Promise<void> {
    await this.redis.set(key, JSON.stringify(answer), 'EX', TTL_SECONDS);
  }
}

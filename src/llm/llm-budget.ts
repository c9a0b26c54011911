import type { Redis } from 'ioredis';

export interface DailyBudget {
  calls: number;
  tokens: number;
}

const DAY_MS = 86_400_000;

/**
 * A forum's daily allowance of LLM calls and tokens, counted in Redis per UTC day so every
 * worker shares it. A call is reserved before it is made and its tokens added after.
 */
export class LlmBudget {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(forumId: string, at = new Date()): string {
    return `${this.prefix}:llm-budget:${forumId}:${at.toISOString().slice(0, 10)}`;
  }

  /** Takes one call from today's allowance; false (and nothing taken) when calls or tokens are spent. */
  async reserve(forumId: string, budget: DailyBudget): Promise<boolean> {
    const key = this.key(forumId);
    const [[, calls], [, tokens]] = (await this.redis
      .multi()
      .hincrby(key, 'calls', 1)
      .hget(key, 'tokens')
      .pexpire(key, 2 * DAY_MS)
      .exec()) as [[unknown, number], [unknown, string | null], unknown];
    if (calls <= budget.calls && Number(tokens ?? 0) < budget.tokens) return true;
    await this.redis.hincrby(key, 'calls', -1);
    return false;
  }

  async spend(forumId: string, tokens: number): Promise<void> {
    const key = this.key(forumId);
    await this.redis
      .multi()
      .hincrby(key, 'tokens', tokens)
      .pexpire(key, 2 * DAY_MS)
      .exec();
  }

  async usage(forumId: string): Promise<{ calls: number; tokens: number }> {
    const row = await this.redis.hgetall(this.key(forumId));
    return { calls: Number(row.calls ?? 0), tokens: Number(row.tokens ?? 0) };
  }
}

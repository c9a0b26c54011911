import { decide } from '../moderation/decide.ts';
import type { ForumOverrides } from '../moderation/overrides.ts';
import type { ScoredPost } from '../moderation/score-post.ts';
import { actionOrder, type PolicyId, type Verdict } from '../moderation/types.ts';
import type { PolicySet } from '../policies/loader.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import type { JudgementCache } from './judgement-cache.ts';
import type { DailyBudget, LlmBudget } from './llm-budget.ts';
import { type LlmAnswer, type LlmClient, LlmFailure, type LlmFailureReason } from './llm-client.ts';
import type { LlmSettings } from './llm-settings.ts';
import { mapQuotes } from './map-quotes.ts';
import { mergeJudgements, uncertainPolicies } from './merge.ts';
import { buildPrompt, PROMPT_VERSION } from './prompt.ts';

/** What the decision records of the LLM's part: both views, the cost, or why it failed. */
export interface LlmRecord {
  status: 'judged' | 'cached' | 'failed';
  reason?: LlmFailureReason;
  message?: string;
  model: string;
  prompt_version: string;
  asked: PolicyId[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  latency_ms?: number;
  judgements?: Array<{
    policy: PolicyId;
    flagged: boolean;
    confidence: number;
    rationale: string;
    evidence: Array<{ start: number; end: number; text: string }>;
  }>;
  /** The local scorer's view before the LLM: action and per-policy scores. */
  local: { action: Verdict['action']; policies: Array<{ policy: PolicyId; score: number; flagged: boolean }> };
}

export interface LlmDeps {
  client: LlmClient;
  breaker: CircuitBreaker;
  budget: Pick<LlmBudget, 'reserve' | 'spend' | 'usage'>;
  cache: Pick<JudgementCache, 'key' | 'get' | 'set'>;
  defaults: DailyBudget;
}

export interface JudgeInput {
  forumId: string;
  contentHash: string;
  post: { body: string; title?: string; quoted?: Array<[number, number]> };
  replyTo?: string;
  local: ScoredPost;
  policySet: PolicySet;
  overrides: ForumOverrides;
  settings: LlmSettings;
}

/**
 * The policies this post should be escalated for: those whose local score sits in their
 * uncertain band (the forum's band when it set one) and that the forum has not switched off.
 */
export function policiesToAsk(local: ScoredPost, policySet: PolicySet, overrides: ForumOverrides): PolicyId[] {
  const bands = Object.fromEntries(Object.entries(overrides).flatMap(([p, o]) => (o?.uncertain_band ? [[p, o.uncertain_band]] : [])));
  return uncertainPolicies(local.verdict.policies, policySet.byId, bands).filter((p) => overrides[p]?.enabled !== false);
}

/**
 * Why a post should not even be queued for the LLM right now (the circuit is open, or the
 * forum's allowance for today is spent), so its decision need not wait behind the rate limit
 * with posts that will be judged. Undefined when it may go ahead.
 */
export async function reasonNotToEscalate(deps: LlmDeps, forumId: string, settings: LlmSettings): Promise<LlmFailure | undefined> {
  if (deps.breaker.open) return new LlmFailure('circuit_open', 'the LLM endpoint failed repeatedly; calls are paused for a while');
  const used = await deps.budget.usage(forumId).catch(() => undefined);
  const calls = settings.daily_calls ?? deps.defaults.calls;
  const tokens = settings.daily_tokens ?? deps.defaults.tokens;
  if (used && (used.calls >= calls || used.tokens >= tokens)) {
    return new LlmFailure('budget_exhausted', `forum ${forumId} has used today's LLM allowance (${calls} calls, ${tokens} tokens)`);
  }
  return undefined;
}

/** The decision for a post that could not be judged: the local verdict raised to review, and why. */
export function fallbackDecision(
  deps: LlmDeps,
  local: ScoredPost,
  asked: PolicyId[],
  failure: LlmFailure,
): { verdict: Verdict; llm: LlmRecord } {
  return {
    verdict: atLeastReview(local.verdict),
    llm: {
      status: 'failed',
      reason: failure.reason,
      message: failure.message,
      model: deps.client.model,
      prompt_version: PROMPT_VERSION,
      asked,
      local: localView(local),
    },
  };
}

/** The local scorer's view, kept on the decision beside the LLM's. */
function localView(local: ScoredPost): LlmRecord['local'] {
  return {
    action: local.verdict.action,
    policies: local.verdict.policies.map((p) => ({ policy: p.policy, score: p.score, flagged: p.flagged })),
  };
}

/**
 * Asks the LLM about the uncertain policies and combines its answer with the local verdict
 * (which it can raise, never lower). Every way the LLM can fail (timeout, 429, 5xx, output
 * that does not fit the schema, the forum's budget spent, the circuit open) ends the same way:
 * the local verdict raised to at least review, and the record says why. It never throws for
 * the LLM's sake, so a post is never lost or stuck on it.
 */
export async function judgePost(
  deps: LlmDeps,
  input: JudgeInput,
  asked: PolicyId[],
): Promise<{ verdict: Verdict; scorers: string[]; llm: LlmRecord }> {
  const base = {
    model: deps.client.model,
    prompt_version: PROMPT_VERSION,
    asked,
    local: localView(input.local),
  };
  const cacheKey = deps.cache.key({
    contentHash: input.contentHash,
    policySetVersion: input.policySet.version,
    model: deps.client.model,
    promptVersion: PROMPT_VERSION,
    asked,
  });
  let answer: LlmAnswer | undefined;
  let status: 'judged' | 'cached' = 'cached';
  try {
    answer = await deps.cache.get(cacheKey).catch(() => undefined);
    if (!answer) {
      status = 'judged';
      answer = await call(deps, input, asked);
      await deps.cache.set(cacheKey, answer).catch(() => {});
    }
  } catch (err) {
    const failure = err instanceof LlmFailure ? err : new LlmFailure('error', (err as Error).message);
    return { ...fallbackDecision(deps, input.local, asked, failure), scorers: input.local.scorers };
  }

  const merged = mergeJudgements(
    input.local.verdict.policies,
    answer.judgements,
    input.policySet.byId,
    asked,
    input.post.body,
    input.overrides,
  );
  const verdict = notMoreLenient(decide(input.policySet.byId, merged, input.overrides), input.local.verdict);
  return {
    verdict,
    scorers: [...input.local.scorers, `llm:${answer.model}`],
    llm: {
      ...base,
      status,
      usage: answer.usage,
      latency_ms: status === 'judged' ? answer.latency_ms : 0,
      judgements: answer.judgements
        .filter((j) => asked.includes(j.policy))
        .map((j) => ({
          policy: j.policy,
          flagged: j.flagged,
          confidence: j.confidence,
          rationale: j.rationale,
          evidence: mapQuotes(input.post.body, j.quotes),
        })),
    },
  };
}

async function call(deps: LlmDeps, input: JudgeInput, asked: PolicyId[]): Promise<LlmAnswer> {
  if (!deps.breaker.allow()) throw new LlmFailure('circuit_open', 'the LLM endpoint failed repeatedly; calls are paused for a while');
  const budget = { calls: input.settings.daily_calls ?? deps.defaults.calls, tokens: input.settings.daily_tokens ?? deps.defaults.tokens };
  const reserved = await deps.budget.reserve(input.forumId, budget).catch((err: unknown) => {
    // The call never went out: a trial slot taken just now is given back, or the breaker
    // would stay half-open for good.
    deps.breaker.release();
    throw new LlmFailure('error', `could not check the LLM budget: ${(err as Error).message}`);
  });
  if (!reserved) {
    // Not the endpoint's fault: the breaker's trial slot, if this was it, is given back.
    deps.breaker.release();
    throw new LlmFailure(
      'budget_exhausted',
      `forum ${input.forumId} has used today's LLM allowance (${budget.calls} calls, ${budget.tokens} tokens)`,
    );
  }
  try {
    const answer = await deps.client.judge(
      buildPrompt({ policies: input.policySet.policies, ask: asked, post: input.post, quoted: input.post.quoted, replyTo: input.replyTo }),
    );
    deps.breaker.succeeded();
    await deps.budget.spend(input.forumId, answer.usage.prompt_tokens + answer.usage.completion_tokens).catch(() => {});
    return answer;
  } catch (err) {
    deps.breaker.failed();
    throw err;
  }
}

const rank = (a: Verdict['action']) => actionOrder.indexOf(a);

/**
 * The combined verdict never acts less than the local one did: the LLM only adds. The one
 * exception is the crisis rule, which decide() applies: an urgent post is held, never removed.
 */
function notMoreLenient(combined: Verdict, local: Verdict): Verdict {
  if (rank(combined.action) >= rank(local.action)) return combined;
  const action = combined.urgent && local.action === 'remove' ? 'hold' : local.action;
  return { ...combined, action };
}

function atLeastReview(verdict: Verdict): Verdict {
  return verdict.action === 'allow' ? { ...verdict, action: 'review' } : verdict;
}

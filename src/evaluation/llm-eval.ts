import { contentHash } from '../ingest/submission.ts';
import { type JudgeInput, judgePost, type LlmDeps, policiesToAsk } from '../llm/judge-post.ts';
import type { LocalScorer } from '../moderation/local-scorer.ts';
import { scorePost } from '../moderation/score-post.ts';
import { prepareText } from '../moderation/text/prepare-text.ts';
import type { PolicySet } from '../policies/loader.ts';
import type { LabelledPost } from './dataset.ts';
import type { LabelledResult } from './metrics.ts';

export interface TokenPrices {
  /** US dollars per million prompt tokens, and per million completion tokens. */
  input: number;
  output: number;
}

export interface LlmEvalSummary {
  model: string;
  posts: number;
  /** Posts with some policy in its uncertain band, sent to the LLM. */
  escalated: number;
  escalation_rate: number;
  judged: number;
  cached: number;
  failed: Record<string, number>;
  usage: { prompt_tokens: number; completion_tokens: number };
  prices_per_million_tokens: TokenPrices;
  /** What the LLM would cost for every 1,000 posts of this mix, in US dollars. */
  cost_per_1000_posts: number;
  latency_ms: { mean: number; max: number };
}

/**
 * `hearth eval --llm`: the cascade the workers run (local scorer, then the LLM for uncertain
 * policies, combined so the LLM only adds), on a labelled set, with the escalation rate and
 * what it would cost. Calls go out `concurrency` at a time.
 */
export async function scoreWithLlm(
  policySet: PolicySet,
  scorer: LocalScorer,
  posts: readonly LabelledPost[],
  deps: LlmDeps,
  opts: { prices: TokenPrices; concurrency: number; onPost?: () => void },
): Promise<{ results: LabelledResult[]; llm: LlmEvalSummary }> {
  const results: LabelledResult[] = new Array(posts.length);
  const summary: LlmEvalSummary = {
    model: deps.client.model,
    posts: posts.length,
    escalated: 0,
    escalation_rate: 0,
    judged: 0,
    cached: 0,
    failed: {},
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    prices_per_million_tokens: opts.prices,
    cost_per_1000_posts: 0,
    latency_ms: { mean: 0, max: 0 },
  };
  const latencies: number[] = [];
  let next = 0;
  const work = async () => {
    for (let i = next++; i < posts.length; i = next++) {
      const post = posts[i] as LabelledPost;
      const started = performance.now();
      const local = scorePost(policySet, scorer, { body: post.text, format: post.format });
      const asked = policiesToAsk(local, policySet, {});
      let verdict = local.verdict;
      if (asked.length > 0) {
        summary.escalated++;
        const input: JudgeInput = {
          forumId: 'eval',
          contentHash: contentHash({ body: post.text, format: post.format ?? 'text' }),
          post: { body: post.text, quoted: prepareText(post.text, post.format).quoted },
          local,
          policySet,
          overrides: {},
          settings: {},
        };
        const judged = await judgePost(deps, input, asked);
        verdict = judged.verdict;
        const { llm } = judged;
        if (llm.status === 'failed') summary.failed[llm.reason ?? 'error'] = (summary.failed[llm.reason ?? 'error'] ?? 0) + 1;
        else {
          summary[llm.status]++;
          if (llm.status === 'judged') {
            summary.usage.prompt_tokens += llm.usage?.prompt_tokens ?? 0;
            summary.usage.completion_tokens += llm.usage?.completion_tokens ?? 0;
            latencies.push(llm.latency_ms ?? 0);
          }
        }
      }
      results[i] = {
        id: post.id,
        text: post.text,
        labels: post.labels,
        action: verdict.action,
        urgent: verdict.urgent,
        policies: verdict.policies,
        ms: performance.now() - started,
      };
      opts.onPost?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, work));
  summary.escalation_rate = posts.length === 0 ? 0 : summary.escalated / posts.length;
  const dollars = (summary.usage.prompt_tokens * opts.prices.input + summary.usage.completion_tokens * opts.prices.output) / 1_000_000;
  summary.cost_per_1000_posts = posts.length === 0 ? 0 : Math.round((dollars / posts.length) * 1000 * 10_000) / 10_000;
  summary.latency_ms = {
    mean: latencies.length === 0 ? 0 : Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    max: latencies.length === 0 ? 0 : Math.max(...latencies),
  };
  return { results, llm: summary };
}

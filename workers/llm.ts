import { type Job, UnrecoverableError } from 'bullmq';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { AppContext } from '../src/context.ts';
import { revisions } from '../src/db/schema/index.ts';
import type { VerdictData } from '../src/decisions/verdict-payload.ts';
import { getForum } from '../src/forums/forums.ts';
import { type LlmJob, llmJobSchema } from '../src/jobs/payloads.ts';
import { fallbackDecision, judgePost } from '../src/llm/judge-post.ts';
import { LlmFailure } from '../src/llm/llm-client.ts';
import { llmSettingsSchema } from '../src/llm/llm-settings.ts';
import { parseForumOverrides, restrictTo } from '../src/moderation/overrides.ts';
import { prepareText } from '../src/moderation/text/prepare-text.ts';
import { storeDecision } from './store-decision.ts';

/**
 * Judges an escalated post with the LLM and stores the combined decision. The LLM's failures
 * never fail the job (judgePost falls back to the local verdict raised to review); database
 * errors do, and the job is retried like a moderate job.
 */
export function createLlmProcessor(ctx: AppContext) {
  return async function judge(job: Job<LlmJob>): Promise<VerdictData> {
    const parsed = llmJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid llm payload: ${parsed.error.issues[0]?.message}`);
    const { moderate, local, asked, policySetVersion } = parsed.data;
    const forum = await getForum(ctx.database.db, moderate.forumId);
    if (!forum) throw new UnrecoverableError(`forum ${moderate.forumId} no longer exists`);
    const overrides = restrictTo(parseForumOverrides(forum.policyOverrides), moderate.onlyPolicies);
    const settings = llmSettingsSchema.safeParse(forum.llmSettings);
    const { policySet } = ctx.policies.current();
    const { post } = moderate;

    const stored = { job: moderate, policySetVersion, language: local.language };
    if (!ctx.llm) {
      // The key was removed while posts waited: the local verdict stands.
      return storeDecision(ctx, { ...stored, verdict: local.verdict, scorers: local.scorers, timings: local.timings });
    }
    if (policySet.version !== policySetVersion) {
      // A new policy set was published while the post waited. Its thresholds must not judge
      // scores the old set produced (nor be labelled with the old version): the local verdict
      // stands, raised to review, and the decision says why.
      const failure = new LlmFailure(
        'policy_set_changed',
        `the policy set changed from ${policySetVersion} to ${policySet.version} while the post waited`,
      );
      const { verdict, llm } = fallbackDecision(ctx.llm, local, asked, failure);
      return storeDecision(ctx, { ...stored, verdict, scorers: local.scorers, timings: local.timings, llm: { ...llm } });
    }
    const result = await judgePost(
      ctx.llm,
      {
        forumId: moderate.forumId,
        contentHash: moderate.contentHash,
        post: { body: post.body, title: post.title, quoted: prepareText(post.body, post.format).quoted },
        replyTo: post.reply_to ? await repliedToText(ctx, moderate.forumId, post.reply_to) : undefined,
        local,
        policySet,
        overrides,
        settings: settings.success ? settings.data : {},
      },
      asked,
    );
    ctx.metrics.llmCalls.inc({ status: result.llm.status, reason: result.llm.reason ?? '' });
    return storeDecision(ctx, {
      ...stored,
      verdict: result.verdict,
      scorers: result.scorers,
      timings: { ...local.timings, llm_ms: result.llm.latency_ms ?? 0 },
      llm: { ...result.llm },
    });
  };
}

/** The newest stored text of the post being replied to, for the model's context. */
async function repliedToText(ctx: AppContext, forumId: string, postId: string): Promise<string | undefined> {
  const [row] = await ctx.database.db
    .select({ body: revisions.body })
    .from(revisions)
    .where(and(eq(revisions.forumId, forumId), eq(revisions.postId, postId), isNotNull(revisions.body)))
    .orderBy(desc(revisions.revision))
    .limit(1);
  return row?.body ?? undefined;
}

import { type Job, UnrecoverableError } from 'bullmq';
import type { AppContext } from '../src/context.ts';
import type { VerdictData } from '../src/decisions/verdict-payload.ts';
import { JOB_JUDGE, type ModerateJob, moderateJobSchema } from '../src/jobs/payloads.ts';
import { fallbackDecision, policiesToAsk, reasonNotToEscalate } from '../src/llm/judge-post.ts';
import { llmSettingsSchema } from '../src/llm/llm-settings.ts';
import { parseForumOverrides, restrictTo } from '../src/moderation/overrides.ts';
import { scorePost } from '../src/moderation/score-post.ts';
import { storeDecision } from './store-decision.ts';

/** BullMQ priorities on the LLM queue: lower goes first. */
const LLM_PRIORITY = { urgent: 1, ordinary: 10 } as const;

/**
 * Scores one submitted post and stores the decision, or, when an LLM is configured and some
 * policy's score is uncertain, hands the post and its local result to the LLM queue, whose
 * worker stores the decision. Returns the verdict (for `?wait`), or null when escalated.
 */
export function createModerateProcessor(ctx: AppContext) {
  return async function moderate(job: Job<ModerateJob>): Promise<VerdictData | null> {
    const parsed = moderateJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid moderate payload: ${parsed.error.issues[0]?.message}`);
    const data = parsed.data;
    // From the process's forum cache, as ingest and the member remedies read it: a query per
    // post saved. `hearth forums update` announces a change and every process drops its copy at
    // once; should the announcement be missed, the record expires within `ingest.forumCacheTtlMs`.
    const forum = await ctx.forums.get(data.forumId);
    if (!forum) throw new UnrecoverableError(`forum ${data.forumId} no longer exists`);

    const overrides = restrictTo(parseForumOverrides(forum.policyOverrides), data.onlyPolicies);
    // One read of the set in force: a publication landing mid-job cannot mix two versions.
    const { policySet, scorer } = ctx.policies.current();
    const scored = scorePost(policySet, scorer, data.post, overrides);

    const settings = llmSettingsSchema.safeParse(forum.llmSettings);
    if (ctx.llm && settings.success && settings.data.enabled !== false) {
      const asked = policiesToAsk(scored, policySet, overrides);
      const notNow = asked.length > 0 ? await reasonNotToEscalate(ctx.llm, data.forumId, settings.data) : undefined;
      if (notNow) {
        const { verdict, llm } = fallbackDecision(ctx.llm, scored, asked, notNow);
        ctx.metrics.llmCalls.inc({ status: 'failed', reason: notNow.reason });
        return storeDecision(ctx, {
          job: data,
          policySetVersion: policySet.version,
          verdict,
          scorers: scored.scorers,
          timings: scored.timings,
          language: scored.language,
          llm: { ...llm },
        });
      }
      if (asked.length > 0) {
        // The job id makes a retried moderate job add it once. A crisis-lane post overtakes the
        // LLM backlog too; every job has a priority because BullMQ takes jobs without one first.
        await ctx.queues.llm.add(
          JOB_JUDGE,
          { moderate: data, policySetVersion: policySet.version, asked, local: scored },
          {
            jobId: `${data.submissionId}-${policySet.version}`,
            priority: data.lane === 'urgent' ? LLM_PRIORITY.urgent : LLM_PRIORITY.ordinary,
          },
        );
        return null;
      }
    }
    return storeDecision(ctx, {
      job: data,
      policySetVersion: policySet.version,
      verdict: scored.verdict,
      scorers: scored.scorers,
      timings: scored.timings,
      language: scored.language,
    });
  };
}

import { type Job, UnrecoverableError } from 'bullmq';
import type { AppContext } from '../src/context.ts';
import { describeDatabaseError, isDataError } from '../src/db/database-error.ts';
import { recordDecision } from '../src/decisions/record-decision.ts';
import { type VerdictData, verdictData } from '../src/decisions/verdict-payload.ts';
import { getForum } from '../src/forums/forums.ts';
import { JOB_DELIVER, type ModerateJob, moderateJobSchema } from '../src/jobs/payloads.ts';
import { parseForumOverrides } from '../src/moderation/overrides.ts';
import { scorePost } from '../src/moderation/score-post.ts';

/**
 * Scores one submitted post, stores the decision with its audit events and pending delivery in
 * one transaction, then queues the delivery. Safe to run twice for one job: a retry finds the
 * stored decision and only makes sure its deliveries are queued.
 */
export function createModerateProcessor(ctx: AppContext) {
  return async function moderate(job: Job<ModerateJob>): Promise<VerdictData> {
    const parsed = moderateJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid moderate payload: ${parsed.error.issues[0]?.message}`);
    const data = parsed.data;
    const forum = await getForum(ctx.database.db, data.forumId);
    if (!forum) throw new UnrecoverableError(`forum ${data.forumId} no longer exists`);

    const overrides = parseForumOverrides(forum.policyOverrides);
    // One read of the set in force: a publication landing mid-job cannot mix two versions.
    const { policySet, scorer } = ctx.policies.current();
    const scored = scorePost(policySet, scorer, data.post, overrides);
    const recorded = await recordDecision(ctx.database.db, {
      job: data,
      policySetVersion: policySet.version,
      verdict: scored.verdict,
      scorers: scored.scorers,
      timings: scored.timings,
      language: scored.language,
    }).catch((err: unknown) => {
      // Rethrown without the query's parameters, which hold the post text.
      const { code, message } = describeDatabaseError(err);
      if (isDataError(err)) throw new UnrecoverableError(`decision cannot be stored (${code}): ${message}`);
      throw new Error(`database error${code ? ` ${code}` : ''}: ${message}`);
    });
    // Queued after the commit; if this process dies first, the retried job (or the sweeper)
    // queues it. The delivery id as job id makes repeats harmless.
    for (const deliveryId of recorded.pendingDeliveryIds) {
      await ctx.queues.deliver.add(JOB_DELIVER, { deliveryId }, { jobId: deliveryId });
    }
    if (recorded.created) {
      const { decision } = recorded;
      ctx.metrics.decisions.inc({ action: decision.action, urgent: String(decision.urgent) });
      for (const p of decision.policies) if (p.flagged) ctx.metrics.policyFlags.inc({ policy: p.policy });
      ctx.log.info(
        {
          submission_id: data.submissionId,
          forum_id: data.forumId,
          post_id: data.post.id,
          decision_id: decision.id,
          action: decision.action,
          urgent: decision.urgent,
        },
        'decision stored',
      );
    }
    return verdictData(recorded.decision);
  };
}

import { UnrecoverableError } from 'bullmq';
import type { AppContext } from '../src/context.ts';
import { describeDatabaseError, isDataError } from '../src/db/database-error.ts';
import { type DecisionInput, recordDecision } from '../src/decisions/record-decision.ts';
import { type VerdictData, verdictData } from '../src/decisions/verdict-payload.ts';
import { JOB_DELIVER } from '../src/jobs/payloads.ts';
import { checkThreadAfter, sendUrgentAlert, withMemberRemedies } from './member-remedies.ts';

/**
 * Stores a decision (one transaction with its audit events and pending delivery), then queues
 * the delivery, for the moderate and the LLM workers alike. Safe to repeat: a retried job
 * finds the stored decision and only makes sure its deliveries are queued.
 */
export async function storeDecision(ctx: AppContext, decided: DecisionInput): Promise<VerdictData> {
  const input = await withMemberRemedies(ctx, decided);
  const recorded = await recordDecision(ctx.database.db, input).catch((err: unknown) => {
    // Rethrown without the query's parameters, which hold the post text.
    const { code, message } = describeDatabaseError(err);
    if (isDataError(err)) throw new UnrecoverableError(`decision cannot be stored (${code}): ${message}`);
    throw new Error(`database error${code ? ` ${code}` : ''}: ${message}`);
  });
  const { decision } = recorded;
  const fromLane = input.job.lane === 'urgent';
  await sendUrgentAlert(ctx, input, decision);
  // Queued after the commit; if this process dies first, the retried job (or the sweeper)
  // queues it. The delivery id as job id makes repeats harmless. The callbacks of lane posts and
  // of any urgent verdict overtake the delivery backlog on the lane's own deliver queue.
  for (const deliveryId of recorded.pendingDeliveryIds) {
    if (fromLane || decision.urgent) {
      const acceptedAt = fromLane ? { acceptedAt: input.job.receivedAt } : {};
      await ctx.queues.deliverUrgent.add(JOB_DELIVER, { deliveryId, ...acceptedAt }, { jobId: deliveryId });
    } else {
      await ctx.queues.deliver.add(JOB_DELIVER, { deliveryId }, { jobId: deliveryId });
    }
  }
  await checkThreadAfter(ctx, input, decision);
  if (recorded.created) {
    // Its audit events were written unsealed; the sealer links them into the chain off this path.
    ctx.audit.sealer.nudge(input.job.forumId);
    if (fromLane) ctx.metrics.crisisLane.observe({ stage: 'decided' }, secondsSince(input.job.receivedAt, decision.decidedAt));
    ctx.metrics.decisions.inc({ action: decision.action, urgent: String(decision.urgent) });
    for (const p of decision.policies) if (p.flagged) ctx.metrics.policyFlags.inc({ policy: p.policy });
    ctx.log.info(
      {
        submission_id: input.job.submissionId,
        forum_id: input.job.forumId,
        post_id: input.job.post.id,
        decision_id: decision.id,
        action: decision.action,
        urgent: decision.urgent,
        lane: input.job.lane ?? 'ordinary',
        ...(input.llm ? { llm: input.llm.status, llm_reason: input.llm.reason } : {}),
      },
      'decision stored',
    );
  }
  return verdictData(recorded.decision);
}

function secondsSince(acceptedAt: string, at: Date): number {
  return Math.max(0, (at.getTime() - Date.parse(acceptedAt)) / 1000);
}

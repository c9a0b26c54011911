import { JOB_DELIVER } from '../jobs/payloads.ts';
import type { Queues } from '../jobs/queues.ts';
import type { Logger } from '../observability/logger.ts';

/**
 * Queues a delivery stored by a committed transaction (a review's `verdict.updated`). Called
 * after commit; if Redis is down the delivery stays pending and the workers' sweep sends it,
 * so a failure here is logged, never thrown.
 */
export async function queueCommittedDelivery(
  queues: Pick<Queues, 'deliver'>,
  log: Logger,
  deliveryId: string,
  what: string,
): Promise<void> {
  await queues.deliver
    .add(JOB_DELIVER, { deliveryId }, { jobId: deliveryId })
    .catch((err: unknown) => log.warn({ err: (err as Error).message, delivery_id: deliveryId }, `could not queue ${what}; the sweep will`));
}

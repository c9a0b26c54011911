import { z } from 'zod';

export const QUEUE_MODERATE = 'moderate';
export const QUEUE_DELIVER = 'deliver';
export const JOB_DELIVER = 'deliver';
export const JOB_SWEEP = 'sweep-pending-deliveries';

/** A post as a forum sends it to the ingest API. Unknown fields are refused. */
export const postSchema = z
  .object({
    id: z.string().min(1).max(200).describe("The forum's own post id"),
    author: z
      .object({
        id: z.string().min(1).max(200),
        name: z.string().max(200).optional(),
      })
      .strict(),
    thread_id: z.string().min(1).max(200).optional(),
    reply_to: z.string().min(1).max(200).optional(),
    title: z.string().max(1000).optional(),
    body: z.string().min(1).max(60_000),
    format: z.enum(['text', 'markdown', 'html']).default('text'),
    created_at: z.iso.datetime({ offset: true }).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type PostInput = z.infer<typeof postSchema>;

export const moderateJobSchema = z.object({
  forumId: z.string(),
  submissionId: z.string(),
  contentHash: z.string(),
  receivedAt: z.iso.datetime(),
  webhookId: z.string().optional(),
  post: postSchema,
});
export type ModerateJob = z.infer<typeof moderateJobSchema>;

export const deliverJobSchema = z.object({ deliveryId: z.uuid() });
export type DeliverJob = z.infer<typeof deliverJobSchema>;
/** The deliver queue also carries the periodic sweep, which has no payload. */
export type DeliverQueueData = DeliverJob | Record<string, never>;

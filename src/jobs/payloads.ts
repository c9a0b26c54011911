import { z } from 'zod';
import { actionOrder, type PolicyResult, policyIds } from '../moderation/types.ts';
import { postTime } from '../time/sane-instant.ts';

export const QUEUE_MODERATE = 'moderate';
export const QUEUE_DELIVER = 'deliver';
/**
 * The crisis lane: posts the check at ingest finds may be a crisis, and the callbacks of their
 * decisions, each on a queue with workers of its own so no backlog stands in front of them.
 */
export const QUEUE_MODERATE_URGENT = 'moderate-urgent';
export const QUEUE_DELIVER_URGENT = 'deliver-urgent';
/** Which queue a post was sent to at ingest. */
export const lanes = ['ordinary', 'urgent'] as const;
export type Lane = (typeof lanes)[number];
/** Posts whose local scores were uncertain, waiting for the LLM (rate-limited on its own). */
export const QUEUE_LLM = 'llm';
export const JOB_JUDGE = 'judge';
export const JOB_DELIVER = 'deliver';
export const JOB_SWEEP = 'sweep-pending-deliveries';
/** Removes post text past each forum's retention period; scheduled on the deliver queue. */
export const JOB_PURGE_TEXT = 'purge-expired-text';
/** Sends a signed audit checkpoint to its forum (on the deliver queue, retried like callbacks). */
export const JOB_CHECKPOINT = 'audit-checkpoint';

/**
 * Text PostgreSQL can store: no NUL characters and no lone UTF-16 surrogates. Accepting either
 * would answer 202 for a post whose every insert then fails, so it is refused at the door.
 */
const storable = (s: string) => !s.includes('\u0000') && s.isWellFormed();
const text = (min: number, max: number) =>
  z.string().min(min).max(max).refine(storable, { message: 'contains a NUL character or an unpaired surrogate' });
const storableJson = (value: unknown): boolean =>
  typeof value === 'string'
    ? storable(value)
    : Array.isArray(value)
      ? value.every(storableJson)
      : value !== null && typeof value === 'object'
        ? Object.entries(value).every(([k, v]) => storable(k) && storableJson(v))
        : true;
/**
 * How deeply a post's metadata may nest. Redis's JSON encoder (in BullMQ's scripts) gives up past
 * 1,000 levels, and no forum's metadata needs more than a few; checked without recursion.
 */
export const MAX_METADATA_DEPTH = 32;
const shallowEnough = (root: unknown): boolean => {
  let level: unknown[] = [root];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > MAX_METADATA_DEPTH) return false;
    level = level.flatMap((v) => (v !== null && typeof v === 'object' ? Object.values(v) : []));
  }
  return true;
};

/** A post as a forum sends it to the ingest API. Unknown fields are refused. */
export const postSchema = z
  .object({
    id: text(1, 200).describe("The forum's own post id"),
    author: z
      .object({
        id: text(1, 200),
        name: text(0, 200).optional(),
      })
      .strict(),
    thread_id: text(1, 200).optional(),
    reply_to: text(1, 200).optional(),
    title: text(0, 1000).optional(),
    body: text(1, 60_000),
    format: z.enum(['text', 'markdown', 'html']).default('text'),
    // A date the database would refuse is refused here, never accepted and then dropped.
    created_at: postTime().optional(),
    metadata: z
      .record(z.string(), z.unknown())
      .refine(shallowEnough, { message: `nests deeper than ${MAX_METADATA_DEPTH} levels`, abort: true })
      .refine(storableJson, { message: 'contains a NUL character or an unpaired surrogate' })
      .optional(),
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
  /** Score only these policies (an engine's private messages); crisis signals are always scored. */
  onlyPolicies: z.array(z.enum(policyIds)).optional(),
  /** Set on the crisis lane's jobs; absent means ordinary (jobs queued before the lane existed). */
  lane: z.enum(lanes).optional(),
});
export type ModerateJob = z.infer<typeof moderateJobSchema>;
/** A crisis-lane job: a moderate job that says so, decided by the same processor. */
export const urgentModerateJobSchema = moderateJobSchema.extend({ lane: z.literal('urgent') });
export type UrgentModerateJob = z.infer<typeof urgentModerateJobSchema>;

export const deliverJobSchema = z.object({
  deliveryId: z.uuid(),
  /** For a crisis-lane post: when ingest accepted it, to time acceptance to the first callback. */
  acceptedAt: z.iso.datetime().optional(),
});
export type DeliverJob = z.infer<typeof deliverJobSchema>;
/** The deliver queue also carries the periodic sweep, which has no payload. */
export const checkpointJobSchema = z.object({ checkpointId: z.number().int().positive() });
export type CheckpointJob = z.infer<typeof checkpointJobSchema>;
export type DeliverQueueData = DeliverJob | CheckpointJob | Record<string, never>;

/**
 * A post escalated to the LLM: the moderate job as it came, and the local scorer's result,
 * which is the verdict if the LLM cannot be had.
 */
export const llmJobSchema = z.object({
  moderate: moderateJobSchema,
  policySetVersion: z.string(),
  asked: z.array(z.enum(policyIds)).min(1),
  local: z.object({
    verdict: z.object({
      action: z.enum(actionOrder),
      urgent: z.boolean(),
      // Produced by this service's own scorer a moment earlier; its shape is the PolicyResult type.
      policies: z.array(z.custom<PolicyResult>((v) => typeof v === 'object' && v !== null)),
    }),
    scorers: z.array(z.string()),
    timings: z.record(z.string(), z.number()),
    language: z.string(),
  }),
});
export type LlmJob = z.infer<typeof llmJobSchema>;

import { z } from '@hono/zod-openapi';
import { apiKeyRoles, auditEventTypes, reviewOutcomes } from '../db/schema/index.ts';
import { encodeCursor } from '../decisions/cursor.ts';
import { actionOrder, policyIds } from '../moderation/types.ts';
import { durationHint, parseDuration } from '../time/parse-duration.ts';
import { isoInstant } from '../time/sane-instant.ts';
import { policyResultSchema } from './schemas.ts';

// Shapes of the dashboard API, with the examples /openapi.json shows. Query strings arrive
// as text, so booleans and numbers are parsed here and nowhere else.

const exampleDecisionId = '0b6f3c1e-8a2d-4f5b-9c7e-1d2a3b4c5d6e';
const exampleSummary = {
  id: exampleDecisionId,
  forum_id: 'chronic-pain',
  post_id: 'post-8841',
  revision: 1,
  action: 'review' as const,
  urgent: false,
  flagged: [{ policy: 'unsafe_medical_advice' as const, score: 0.71 }],
  policy_set_version: 'ps_da416101c812c187',
  language: 'en',
  decided_at: '2026-11-20T09:14:03.512Z',
  review: null,
};
const exampleQueueItem = {
  ...exampleSummary,
  claim: { claimed_by: 'alex', expires_at: '2026-11-20T09:19:03.000Z', mine: false },
};
const exampleReview = {
  id: '9d0c4e2a-1b3f-4a5d-8e6f-7a8b9c0d1e2f',
  outcome: 'override' as const,
  action: 'allow' as const,
  labels: [],
  note: 'Own taper schedule, agreed with her GP.',
  reviewer: 'sam',
  created_at: '2026-11-20T09:31:44.120Z',
};
const exampleKey = {
  id: '6a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  prefix: 'hk_3qJf0aB',
  name: 'sam',
  role: 'moderator' as const,
  forums: ['chronic-pain'],
  status: 'active' as const,
  expires_at: '2026-12-20T09:00:00.000Z',
  revoked_at: null,
  last_used_at: '2026-11-20T09:31:44.000Z',
  created_at: '2026-11-20T09:00:00.000Z',
};
export const exampleAuditEvent = {
  id: 412,
  forum_id: 'chronic-pain',
  seq: 57,
  type: 'reviewed' as const,
  actor: 'key:6a1f…',
  subject_id: '9d0c…',
  payload: { post_id: 'post-8841', outcome: 'override', action: 'allow', labels: [] },
  hash: 'a3f1…',
  prev_hash: '77c2…',
  created_at: '2026-11-20T09:31:44.120Z',
};
// Bounds the database can compare with: `from=0000-01-01T00:00:00Z` is a 400, not a failed query.
const isoTime = isoInstant();
// Text that reaches SQL parameters, which cannot hold NUL or lone surrogates: refused as a 400,
// never a failed query whose parameters end up in the error log.
const queryText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000') && s.isWellFormed(), { message: 'contains a NUL character or an unpaired surrogate' });
const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50, description: 'Rows per page, 1–200' }),
  cursor: queryText(200).optional().openapi({ description: 'next_cursor from the previous page' }),
};

export const decisionsQuery = z.object({
  forum_id: queryText(63).optional().openapi({ example: 'chronic-pain' }),
  action: z.enum(actionOrder).optional(),
  policy: z.enum(policyIds).optional().openapi({ description: 'Only decisions that flagged this policy' }),
  urgent: booleanQuery.optional(),
  reviewed: booleanQuery.optional(),
  from: isoTime.optional().openapi({ example: '2026-11-01T00:00:00Z', description: 'decided at or after' }),
  to: isoTime.optional().openapi({ description: 'decided before' }),
  min_score: z.coerce.number().min(0).max(1).optional().openapi({ description: 'Some policy (or `policy`) scored at least this' }),
  ...pageQuery,
});

export const reviewQueueQuery = z.object({
  forum_id: queryText(63).optional().openapi({ example: 'chronic-pain' }),
  include_claimed: booleanQuery.optional().openapi({ description: 'Also list decisions another moderator has claimed' }),
  ...pageQuery,
});

export const decisionParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: exampleDecisionId }),
});

const reviewSummarySchema = z
  .object({
    outcome: z.enum(reviewOutcomes),
    action: z.enum(actionOrder),
    previous_action: z.enum(actionOrder).openapi({ description: 'The action in force before this review' }),
    labels: z.array(z.enum(policyIds)),
    reviewer: z.string(),
    created_at: z.string(),
  })
  .openapi('LatestReview');

export const decisionSummarySchema = z
  .object({
    id: z.uuid(),
    forum_id: z.string(),
    post_id: z.string(),
    revision: z.number().int(),
    action: z.enum(actionOrder),
    urgent: z.boolean(),
    flagged: z.array(z.object({ policy: z.enum(policyIds), score: z.number() })),
    policy_set_version: z.string(),
    language: z.string().nullable(),
    decided_at: z.string(),
    review: reviewSummarySchema.nullable(),
  })
  .openapi('DecisionSummary', { example: exampleSummary });

/** A page of `item`s; its example is one item and a cursor, as a client would see it. */
export function pageOf<T extends z.ZodType>(item: T, name: string, example: z.input<T>) {
  return z
    .object({ items: z.array(item), next_cursor: z.string().nullable().openapi({ description: 'null on the last page' }) })
    .openapi(name, { example: { items: [example], next_cursor: encodeCursor(exampleDecisionId) } });
}

const claimInfo = z.object({ claimed_by: z.string(), expires_at: z.string() });

export const queueItemSchema = decisionSummarySchema
  .extend({ claim: claimInfo.extend({ mine: z.boolean() }).nullable() })
  .openapi('ReviewQueueItem', { example: exampleQueueItem });

export const decisionPageSchema = pageOf(decisionSummarySchema, 'DecisionPage', exampleSummary);
export const reviewQueuePageSchema = pageOf(queueItemSchema, 'ReviewQueuePage', exampleQueueItem);

export const reviewSchema = z
  .object({
    id: z.uuid(),
    outcome: z.enum(reviewOutcomes),
    action: z.enum(actionOrder),
    labels: z.array(z.string()),
    note: z.string().nullable(),
    reviewer: z.string(),
    created_at: z.string(),
  })
  .openapi('Review', { example: exampleReview });

export const auditEventSchema = z
  .object({
    id: z.number().int(),
    forum_id: z.string(),
    seq: z.number().int().nullable().openapi({ description: 'Place in the chain; null for the moment between commit and sealing' }),
    type: z.enum(auditEventTypes),
    actor: z.string(),
    subject_id: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
    hash: z.string().nullable(),
    prev_hash: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('AuditEvent', { example: exampleAuditEvent });

export const auditEventPageSchema = pageOf(auditEventSchema, 'AuditEventPage', exampleAuditEvent);

export const decisionDetailSchema = decisionSummarySchema
  .extend({
    policies: z.array(policyResultSchema),
    scorers: z.array(z.string()),
    timings: z.record(z.string(), z.number()),
    llm: z.record(z.string(), z.unknown()).nullable().openapi({
      description:
        "The LLM's part when the post was escalated: status, reason, model, prompt_version, usage, judgements, and the local view",
    }),
    post: z.object({
      author: z.object({ id: z.string(), name: z.string().nullable() }),
      thread_id: z.string().nullable(),
      reply_to: z.string().nullable(),
      title: z.string().nullable(),
      body: z.string().nullable().openapi({ description: "Null once the forum's retention period purged it" }),
      format: z.string(),
      content_hash: z.string(),
      posted_at: z.string().nullable(),
      received_at: z.string(),
      purged_at: z.string().nullable(),
      masked: z.boolean().openapi({ description: 'E-mails, phone numbers and addresses masked (auditor keys)' }),
    }),
    deliveries: z.array(
      z.object({
        id: z.uuid(),
        webhook_id: z.string(),
        event_type: z.string(),
        status: z.string(),
        attempts: z.array(
          z.object({
            attempt: z.number().int(),
            status_code: z.number().int().nullable(),
            latency_ms: z.number().int(),
            error: z.string().nullable(),
            started_at: z.string(),
          }),
        ),
        last_status_code: z.number().int().nullable(),
        last_error: z.string().nullable(),
        redelivery_of: z.string().nullable(),
        created_at: z.string(),
        completed_at: z.string().nullable(),
      }),
    ),
    reviews: z.array(reviewSchema),
    claim: claimInfo.nullable(),
    audit_trail: z.array(auditEventSchema),
  })
  .openapi('DecisionDetail', {
    example: {
      ...exampleSummary,
      policies: [
        {
          policy: 'unsafe_medical_advice',
          score: 0.71,
          flagged: true,
          evidence: [{ start: 0, end: 37, text: 'Just quit your duloxetine cold turkey' }],
          rationale: 'directive to another member to stop a prescribed medication',
        },
      ],
      scorers: ['local-rules', 'local-model'],
      timings: { score_ms: 0.6 },
      llm: null,
      post: {
        author: { id: 'u-9', name: 'Robin' },
        thread_id: 't-120',
        reply_to: null,
        title: null,
        body: 'Just quit your duloxetine cold turkey, it is fine.',
        format: 'text',
        content_hash: '5e1f…',
        posted_at: null,
        received_at: '2026-11-20T09:14:03.470Z',
        purged_at: null,
        masked: false,
      },
      deliveries: [
        {
          id: '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99',
          webhook_id: 'msg_3c2b1a098f7e4d6c9b5a4e3d2c1b0a99',
          event_type: 'verdict.created',
          status: 'succeeded',
          attempts: [{ attempt: 1, status_code: 200, latency_ms: 38, error: null, started_at: '2026-11-20T09:14:03.530Z' }],
          last_status_code: 200,
          last_error: null,
          redelivery_of: null,
          created_at: '2026-11-20T09:14:03.512Z',
          completed_at: '2026-11-20T09:14:03.570Z',
        },
      ],
      reviews: [],
      claim: null,
      audit_trail: [],
    },
  });

export const claimSchema = z
  .object({ decision_id: z.uuid(), claimed_by: z.string(), expires_at: z.string() })
  .openapi('Claim', { example: { decision_id: exampleDecisionId, claimed_by: 'sam (moderator)', expires_at: '2026-11-20T09:19:03.000Z' } });

export const reviewInputSchema = z
  .object({
    outcome: z.enum(reviewOutcomes),
    action: z.enum(actionOrder).optional().openapi({ description: 'Required for an override; a confirm keeps the action' }),
    labels: z.array(z.enum(policyIds)).max(policyIds.length).optional().openapi({
      description:
        "Policies that truly apply; [] for a clean post. Required for an override; a confirm without labels keeps those in force (the newest review's, else the policies the decision flagged)",
    }),
    note: queryText(2000).optional(),
  })
  .strict()
  .openapi('ReviewInput', {
    example: { outcome: 'override', action: 'allow', labels: [], note: 'Own taper schedule, agreed with her GP.' },
  });

export const recordedReviewSchema = z
  .object({
    review: reviewSchema,
    delivery_id: z.uuid().nullable().openapi({ description: 'The verdict.updated callback, for an override' }),
  })
  .openapi('RecordedReview', { example: { review: exampleReview, delivery_id: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2f10' } });

export const auditQuery = z.object({
  forum_id: queryText(63).min(1).optional().openapi({ example: 'chronic-pain' }),
  type: z.enum(auditEventTypes).optional(),
  subject_id: queryText(200).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  ...pageQuery,
});

export const exportQuery = auditQuery.omit({ limit: true, cursor: true });

export const verifyQuery = z.object({ forum_id: queryText(63).min(1).openapi({ example: 'chronic-pain' }) });

export const chainReportSchema = z
  .object({
    forum_id: z.string(),
    ok: z.boolean(),
    checked: z.number().int(),
    first_broken: z.object({ seq: z.number().int(), id: z.number().int(), reason: z.string() }).nullable(),
    keyed: z.boolean().openapi({ description: 'Whether the chain was checked with the audit key (HMAC); false: plain SHA-256' }),
    unkeyed: z.number().int().optional().openapi({ description: 'Leading events hashed before the chain was keyed' }),
    head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
    pending: z
      .object({ count: z.number().int(), oldest_seconds: z.number() })
      .openapi({ description: 'Events committed but not yet sealed into the chain, and how long the oldest has waited' }),
    checkpoint: z
      .object({ seq: z.number().int(), ok: z.boolean(), reason: z.string().optional() })
      .nullable()
      .openapi({ description: 'The comparison with a checkpoint: the one given, else the newest stored one' }),
  })
  .openapi('ChainReport', {
    example: {
      forum_id: 'chronic-pain',
      ok: true,
      checked: 1840,
      first_broken: null,
      keyed: true,
      head: { seq: 1840, hash: '9c1e…' },
      pending: { count: 0, oldest_seconds: 0 },
      checkpoint: { seq: 1836, ok: true },
    },
  });

export const statsQuery = z.object({
  forum_id: queryText(63).optional().openapi({ example: 'chronic-pain' }),
  from: isoTime.optional().openapi({ description: 'Default: 30 days before `to`' }),
  to: isoTime.optional().openapi({ description: 'Default: now' }),
});

const percentiles = z.object({ median: z.number().nullable(), p95: z.number().nullable() });
const lanePercentiles = z.object({ p50: z.number().nullable(), p99: z.number().nullable() });
const perPolicy = <T extends z.ZodType>(schema: T) =>
  z.object(Object.fromEntries(policyIds.map((p) => [p, schema])) as Record<(typeof policyIds)[number], T>);

/** One month of a forum's figures: the Stats example, and the base of the members' stats example. */
export const statsExample = {
  forum_id: 'chronic-pain',
  from: '2026-10-21T00:00:00.000Z',
  to: '2026-11-20T00:00:00.000Z',
  volume: { decisions: 1840, posts: 1712, urgent: 6 },
  actions: { allow: 1688, review: 102, redact: 2, hold: 46, remove: 2 },
  flags: { misinformation: 31, unsafe_medical_advice: 44, hostility: 58, privacy_leak: 12, self_harm: 6 },
  review_backlog: { count: 9, oldest_age_seconds: 5400 },
  agreement: {
    misinformation: { reviewed: 28, confirmed: 22, overridden: 6, rate: 0.79 },
    unsafe_medical_advice: { reviewed: 40, confirmed: 35, overridden: 5, rate: 0.88 },
    hostility: { reviewed: 51, confirmed: 47, overridden: 4, rate: 0.92 },
    privacy_leak: { reviewed: 12, confirmed: 12, overridden: 0, rate: 1 },
    self_harm: { reviewed: 6, confirmed: 6, overridden: 0, rate: 1 },
  },
  latency_ms: { post_to_verdict: { median: 42, p95: 180 }, verdict_to_review: { median: 1260000, p95: 14400000 } },
  crisis_lane: {
    posts: 9,
    urgent: 6,
    accepted_to_verdict_ms: { p50: 38, p99: 120 },
    accepted_to_callback_ms: { p50: 55, p99: 160 },
    accepted_to_alert_ms: { p50: 49, p99: 150 },
  },
};

export const statsSchema = z
  .object({
    forum_id: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    volume: z.object({ decisions: z.number().int(), posts: z.number().int(), urgent: z.number().int() }),
    actions: z.object(
      Object.fromEntries(actionOrder.map((a) => [a, z.number().int()])) as Record<(typeof actionOrder)[number], z.ZodNumber>,
    ),
    flags: perPolicy(z.number().int()),
    review_backlog: z.object({ count: z.number().int(), oldest_age_seconds: z.number().nullable() }),
    agreement: perPolicy(
      z.object({ reviewed: z.number().int(), confirmed: z.number().int(), overridden: z.number().int(), rate: z.number().nullable() }),
    ),
    latency_ms: z.object({ post_to_verdict: percentiles, verdict_to_review: percentiles }),
    crisis_lane: z
      .object({
        posts: z.number().int(),
        urgent: z.number().int(),
        accepted_to_verdict_ms: lanePercentiles,
        accepted_to_callback_ms: lanePercentiles,
        accepted_to_alert_ms: lanePercentiles,
      })
      .describe(
        "Posts the crisis check at ingest sent to their own lane: milliseconds from acceptance to the verdict, to the verdict's callback answered 2xx and to the alert.urgent answered 2xx",
      ),
  })
  .openapi('Stats', { example: statsExample });

export const deliveryParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const redeliverySchema = z.object({ delivery_id: z.uuid(), webhook_id: z.string(), redelivery_of: z.uuid() }).openapi('Redelivery', {
  example: {
    delivery_id: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5f60',
    webhook_id: 'msg_8e7d6c5b4a3942819f0e1d2c3b4a5f60',
    redelivery_of: '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99',
  },
});

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    prefix: z.string(),
    name: z.string().nullable(),
    role: z.enum(apiKeyRoles),
    forums: z.array(z.string()).nullable().openapi({ description: 'null: every forum (admin)' }),
    status: z.enum(['active', 'expired', 'revoked']),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('ApiKey', { example: exampleKey });

export const apiKeyListSchema = z.array(apiKeySchema).openapi({ example: [exampleKey] });

export const createKeySchema = z
  .object({
    role: z.enum(apiKeyRoles),
    forums: z.array(z.string().min(1).max(63)).max(100).optional(),
    name: z.string().min(1).max(100).optional(),
    expires_in: z
      .string()
      .refine((v) => parseDuration(v) !== undefined, { message: `use ${durationHint}` })
      .optional()
      .openapi({ example: '30d' }),
  })
  .strict()
  .openapi('CreateApiKey', { example: { role: 'moderator', forums: ['chronic-pain'], name: 'sam', expires_in: '30d' } });

export const createdKeySchema = apiKeySchema
  .extend({ key: z.string().openapi({ description: 'The key itself, shown this once', example: 'hk_3q…' }) })
  .openapi('CreatedApiKey', { example: { ...exampleKey, key: 'hk_3qJf0aB…' } });

export const keyParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

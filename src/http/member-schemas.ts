import { z } from '@hono/zod-openapi';
import { reviewOutcomes } from '../db/schema/index.ts';
import { crisisSettingsSchema } from '../members/crisis-support.ts';
import { escalationRulesSchema } from '../members/escalation.ts';
import { redactionSettingsSchema } from '../members/redaction.ts';
import { threadAlertSettingsSchema } from '../members/thread-tension.ts';
import { actionOrder, policyIds } from '../moderation/types.ts';
import { reviewQueuePageSchema, statsExample, statsSchema } from './dashboard-schemas.ts';
import { escalationSchema, suggestedReplySchema } from './schemas.ts';

// A forum id PostgreSQL cannot compare (NUL, a lone surrogate) is a 400, not a failed query.
const forumIdParam = z
  .string()
  .max(63)
  .refine((s) => !s.includes('\u0000') && s.isWellFormed(), { message: 'contains a NUL character or an unpaired surrogate' })
  .openapi({ param: { name: 'forumId', in: 'path' }, example: 'chronic-pain' });

export const authorParams = z.object({
  forumId: forumIdParam,
  authorId: z
    .string()
    .min(1)
    .max(200)
    // An id PostgreSQL cannot hold (NUL, a lone surrogate) is a 400, not a failed query.
    .refine((s) => !s.includes('\u0000') && s.isWellFormed(), { message: 'contains a NUL character or an unpaired surrogate' })
    .openapi({ param: { name: 'authorId', in: 'path' }, example: 'u-9' }),
});

export const remediesParams = z.object({
  forumId: forumIdParam,
});

const exampleCrisis = {
  country: 'GB',
  resources: [
    { language: 'en', country: 'GB', name: 'Samaritans', phone: '116 123', url: 'https://www.samaritans.org', emergency: '999' },
    { language: 'es', country: 'ES', name: 'Línea 024', phone: '024', emergency: '112' },
  ],
};

const exampleThreadSettings = { pile_on: { authors: 3, within_minutes: 60 }, flagged_share: { share: 0.4, min_posts: 5 } };

const exampleRule = {
  id: 'hostility-2-in-14d',
  policy: 'hostility' as const,
  flags: 2,
  within_days: 14,
  raise_to: 'review' as const,
  for_days: 7,
  count: 'flagged' as const,
};

export const remediesSchema = z
  .object({
    escalation_rules: z
      .array(
        z.object({
          id: z.string(),
          policy: z.enum(policyIds),
          flags: z.number().int(),
          within_days: z.number().int(),
          raise_to: z.enum(actionOrder),
          for_days: z.number().int(),
          count: z.enum(['flagged', 'confirmed']),
        }),
      )
      .openapi({ description: 'Escalation rules for disruptive members (none when absent)' })
      .optional(),
    thread_alerts: z
      .object({
        pile_on: z.object({ authors: z.number().int(), within_minutes: z.number().int() }).optional(),
        flagged_share: z.object({ share: z.number(), min_posts: z.number().int() }).optional(),
      })
      .openapi({ description: 'When a thread counts as tense (no thread alerts when absent)' })
      .optional(),
    redaction: z
      .object({ policies: z.array(z.enum(policyIds)) })
      .openapi({ description: 'Policies whose flags become `redact` when the only problem is personal data that can be masked' })
      .optional(),
    crisis: z
      .object({
        country: z.string().optional(),
        resources: z.array(
          z.object({
            language: z.string(),
            country: z.string().optional(),
            name: z.string(),
            phone: z.string().optional(),
            url: z.string().optional(),
            text: z.string().optional(),
            emergency: z.string().optional(),
          }),
        ),
      })
      .openapi({ description: "Crisis lines for the suggested reply to a member in crisis (Hearth's defaults when absent)" })
      .optional(),
  })
  .openapi('ForumRemedies', {
    example: {
      escalation_rules: [exampleRule],
      thread_alerts: exampleThreadSettings,
      redaction: { policies: ['privacy_leak'] },
      crisis: exampleCrisis,
    },
  });

export const remediesChangeSchema = z
  .object({
    escalation_rules: escalationRulesSchema.nullable().optional().openapi({
      description:
        'Replaces the rules (null removes them). Each: `flags` flags of `policy` within `within_days` days give the author\'s posts at least `raise_to` (`review` or `hold`) for `for_days` days. `count: "confirmed"` counts only flags a moderator upheld; overridden flags never count; `self_harm` cannot count.',
    }),
    thread_alerts: threadAlertSettingsSchema.nullable().optional().openapi({
      description:
        "Replaces the tense-thread settings (null removes them). `pile_on`: posts by at least `authors` (default 3) different members, flagged for hostility and replying to the same member within `within_minutes` (default 60). `flagged_share`: at least `share` of the thread's posts flagged (crisis posts aside) once it has `min_posts` (default 5).",
    }),
    redaction: redactionSettingsSchema.nullable().optional().openapi({
      description:
        '`{"policies": ["privacy_leak"]}`: a post whose only flag is someone else\'s personal data gets `redact` and `redacted_body` instead of being held (never an urgent post); null removes it.',
    }),
    crisis: crisisSettingsSchema.nullable().optional().openapi({
      description:
        "Crisis resources: `resources` (1-50), each `{language, country?, name, phone?, url? (https), text?, emergency?}` with a phone or a link, and the forum's `country`. An urgent verdict's `suggested_reply` uses those in the post's language (the forum's country first), else the forum country's, else Hearth's defaults; null removes them.",
    }),
  })
  .strict()
  .openapi('ForumRemediesChange', {
    example: {
      escalation_rules: [exampleRule],
      thread_alerts: exampleThreadSettings,
      redaction: { policies: ['privacy_leak'] },
      crisis: exampleCrisis,
    },
  });

const exampleAlert = {
  alert_id: '7f4a5b6c-8d9e-4f0a-1b2c-3d4e5f6a7b8c',
  forum_id: 'chronic-pain',
  thread_id: 'thread-311',
  reason: 'pile_on' as const,
  target_author_id: 'u-42',
  decision_ids: ['4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', '5d2e3f4a-6b7c-4d8e-9f0a-1b2c3d4e5f6a', '6e3f4a5b-7c8d-4e9f-0a1b-2c3d4e5f6a7b'],
  details: { authors: 3, post_ids: ['post-9001', 'post-9003', 'post-9004'], within_minutes: 60 },
  status: 'open' as const,
  opened_at: '2026-11-20T21:12:40.000Z',
  resolved_at: null,
  resolved_by: null,
  note: null,
};

export const threadAlertSchema = z
  .object({
    alert_id: z.uuid(),
    forum_id: z.string(),
    thread_id: z.string(),
    reason: z.enum(['pile_on', 'flagged_share']),
    target_author_id: z.string().nullable().openapi({ description: 'The member a pile-on is aimed at; null for a flagged share' }),
    decision_ids: z
      .array(z.uuid())
      .openapi({ description: 'The decisions the alert stands on; later flagged posts of the thread join it' }),
    details: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'pile_on: authors, post_ids, within_minutes; flagged_share: posts, flagged, share, post_ids' }),
    status: z.enum(['open', 'resolved']),
    opened_at: z.iso.datetime(),
    resolved_at: z.iso.datetime().nullable(),
    resolved_by: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi('ThreadAlert', { example: exampleAlert });

export const threadAlertCallbackSchema = z
  .object({ type: z.literal('thread.alert'), data: threadAlertSchema })
  .openapi('ThreadAlertCallback', {
    description: 'POSTed to the forum callback URL when a thread turns tense: once per thread until a moderator resolves it',
    example: { type: 'thread.alert', data: exampleAlert },
  });

export const threadAlertListSchema = z
  .object({ items: z.array(threadAlertSchema) })
  .openapi('ThreadAlertList', { example: { items: [exampleAlert] } });

export const threadAlertsQuery = z.object({
  forum_id: z.string().max(63).optional().openapi({ example: 'chronic-pain' }),
  status: z.enum(['open', 'resolved']).optional().openapi({ example: 'open' }),
});

export const threadAlertParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: exampleAlert.alert_id }),
});

export const resolveThreadAlertSchema = z
  .object({ note: z.string().max(2000).optional() })
  .strict()
  .openapi('ResolveThreadAlert', { example: { note: 'Posted a reminder of the group guidelines and messaged both members.' } });

export const reviewQueueWithThreadsSchema = reviewQueuePageSchema
  .extend({
    threads: z.array(threadAlertSchema).openapi({ description: 'Open thread alerts, oldest first, each one item (first page only)' }),
    oldest_urgent_age_seconds: z.number().int().nullable().openapi({
      description: 'Seconds the oldest urgent item still awaiting a moderator has waited since its post was accepted; null when none',
    }),
  })
  .openapi('ReviewQueueWithThreads', {
    example: { items: [], next_cursor: null, threads: [exampleAlert], oldest_urgent_age_seconds: 95 },
  });

const exampleHistory = {
  forum_id: 'chronic-pain',
  author_id: 'u-9',
  standing: {
    escalated: true,
    least_action: 'review' as const,
    rules_in_force: [
      {
        rule_id: 'hostility-2-in-14d',
        policy: 'hostility' as const,
        raise_to: 'review' as const,
        flags: [
          { post_id: 'post-8802', decision_id: '4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', at: '2026-11-18T20:02:11.000Z' },
          { post_id: 'post-8817', decision_id: '5d2e3f4a-6b7c-4d8e-9f0a-1b2c3d4e5f6a', at: '2026-11-19T08:40:52.000Z' },
        ],
        since: '2026-11-19T08:40:52.000Z',
        expires_at: '2026-11-26T08:40:52.000Z',
      },
    ],
  },
  escalation_rules: [exampleRule],
  flags_by_week: [{ week: '2026-11-16', policy: 'hostility', flags: 2, overridden: 1 }],
  decisions: [
    {
      decision_id: '6e3f4a5b-7c8d-4e9f-0a1b-2c3d4e5f6a7b',
      post_id: 'post-8840',
      revision: 1,
      action: 'review' as const,
      urgent: false,
      flagged: [],
      escalation: { rule_id: 'hostility-2-in-14d', raise_to: 'review' as const, applied: true },
      decided_at: '2026-11-20T09:14:03.512Z',
    },
  ],
  reviews: [
    {
      decision_id: '3b0c1d2e-4f5a-4b6c-7d8e-9f0a1b2c3d4e',
      post_id: 'post-8790',
      outcome: 'override' as const,
      action: 'allow' as const,
      labels: [],
      note: 'Disagreement, not an attack.',
      reviewer: 'sam',
      reviewed_at: '2026-11-18T10:05:00.000Z',
    },
  ],
};

export const authorHistorySchema = z
  .object({
    forum_id: z.string(),
    author_id: z.string(),
    standing: z.object({
      escalated: z.boolean(),
      least_action: z.enum(actionOrder).openapi({ description: 'The least action the rules in force give this author’s posts' }),
      rules_in_force: z.array(escalationSchema.omit({ previous_action: true, applied: true })),
    }),
    escalation_rules: remediesSchema.shape.escalation_rules.unwrap(),
    flags_by_week: z
      .array(z.object({ week: z.string(), policy: z.enum(policyIds), flags: z.number().int(), overridden: z.number().int() }))
      .openapi({
        description: 'Posts flagged per policy per week (Monday, UTC) over the last year; overridden flags apart, since they never count',
      }),
    decisions: z.array(
      z.object({
        decision_id: z.uuid(),
        post_id: z.string(),
        revision: z.number().int(),
        action: z.enum(actionOrder),
        urgent: z.boolean(),
        flagged: z.array(z.object({ policy: z.enum(policyIds), score: z.number() })),
        escalation: z.object({ rule_id: z.string(), raise_to: z.enum(actionOrder), applied: z.boolean() }).nullable(),
        decided_at: z.iso.datetime(),
      }),
    ),
    reviews: z.array(
      z.object({
        decision_id: z.uuid(),
        post_id: z.string(),
        outcome: z.enum(reviewOutcomes),
        action: z.enum(actionOrder),
        labels: z.array(z.string()),
        note: z.string().nullable(),
        reviewer: z.string(),
        reviewed_at: z.iso.datetime(),
      }),
    ),
  })
  .openapi('AuthorHistory', { example: exampleHistory });

export const statsWithUrgentSchema = statsSchema
  .extend({
    urgent_response: z
      .object({
        urgent: z.number().int(),
        acted: z.number().int(),
        first_action_ms: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
      })
      .openapi({
        description:
          'Urgent decisions in the range, how many a moderator has acted on (reviewed), and p50/p95 milliseconds from acceptance to that first action',
      }),
  })
  .openapi('StatsWithUrgentResponse', {
    example: { ...statsExample, urgent_response: { urgent: 6, acted: 6, first_action_ms: { p50: 240000, p95: 900000 } } },
  });

export const urgentAlertCallbackSchema = z
  .object({
    type: z.literal('alert.urgent'),
    data: z.object({
      forum_id: z.string(),
      post_id: z.string(),
      revision: z.number().int(),
      decision_id: z.uuid(),
      thread_id: z.string().nullable(),
      author_id: z.string().openapi({ description: "The forum's id for the member in crisis" }),
      action: z.enum(actionOrder),
      language: z.string().nullable(),
      suggested_reply: suggestedReplySchema.nullable(),
      decided_at: z.iso.datetime(),
    }),
  })
  .openapi('UrgentAlertCallback', {
    description: 'POSTed to the forum callback URL once per urgent decision, before any ordinary callback waiting in the backlog',
    example: {
      type: 'alert.urgent',
      data: {
        forum_id: 'chronic-pain',
        post_id: 'post-9120',
        revision: 1,
        decision_id: '8a5b6c7d-9e0f-4a1b-2c3d-4e5f6a7b8c9d',
        thread_id: 'thread-402',
        author_id: 'u-77',
        action: 'hold',
        language: 'en',
        suggested_reply: {
          language: 'en',
          text: "Thank you for telling us how you're feeling. Living with this much pain is exhausting, and it makes sense that you're struggling. You're not alone here. If you're thinking about ending your life, please reach out now: Samaritans, 116 123. If you might act on these thoughts soon, call 999. A moderator has been told and will check in.",
          resources: [{ name: 'Samaritans', phone: '116 123' }],
        },
        decided_at: '2026-11-20T23:41:07.221Z',
      },
    },
  });

export const forgetResultSchema = z
  .object({
    forum_id: z.string(),
    author_hash: z.string().openapi({ description: "What the author's id was replaced with (a salted hash; the salt is not kept)" }),
    posts: z.number().int(),
    revisions: z.number().int(),
    decisions: z.number().int(),
    reviews: z.number().int().openapi({ description: 'Review notes removed' }),
    deliveries: z.number().int().openapi({ description: 'Callbacks whose stored payload lost quoted words or the id' }),
    thread_alerts: z.number().int(),
    queued_jobs: z.number().int().openapi({ description: 'Moderation jobs of their posts removed from Redis' }),
  })
  .openapi('ForgetResult', {
    example: {
      forum_id: 'chronic-pain',
      author_hash: 'forgotten_5c1f0e7a9b3d4c2e8f6a1b0c9d8e7f6a',
      posts: 12,
      revisions: 14,
      decisions: 14,
      reviews: 3,
      deliveries: 15,
      thread_alerts: 0,
      queued_jobs: 2,
    },
  });

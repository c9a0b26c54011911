import { z } from '@hono/zod-openapi';
import { reviewOutcomes } from '../db/schema/index.ts';
import { actionOrder, policyIds } from '../moderation/types.ts';

export const acceptedSchema = z
  .object({
    submission_id: z.string().openapi({ example: 'sub_Hq3kY2m0c1LrT8vW9xZaBcDeFg' }),
    status: z.literal('queued'),
  })
  .openapi('Accepted', { example: { submission_id: 'sub_Hq3kY2m0c1LrT8vW9xZaBcDeFg', status: 'queued' } });

export const evidenceSchema = z
  .object({
    start: z.number().int(),
    end: z.number().int(),
    text: z.string(),
    field: z.literal('title').optional().openapi({ description: 'Present when the span is in the title; offsets then index the title' }),
  })
  .openapi('Evidence');

export const policyResultSchema = z
  .object({
    policy: z.enum(policyIds),
    score: z.number().min(0).max(1),
    flagged: z.boolean(),
    evidence: z.array(evidenceSchema),
    rationale: z.string(),
  })
  .openapi('PolicyResult');

export const escalationSchema = z
  .object({
    rule_id: z.string().openapi({ example: 'hostility-2-in-14d' }),
    policy: z.enum(policyIds),
    raise_to: z.enum(actionOrder).openapi({ description: 'The least action this rule gives the author’s posts while it is in force' }),
    previous_action: z.enum(actionOrder).openapi({ description: 'The action before the rule was applied' }),
    applied: z.boolean().openapi({ description: 'True when the rule raised the action; false when the post already reached it' }),
    flags: z
      .array(z.object({ post_id: z.string(), decision_id: z.uuid(), at: z.iso.datetime() }))
      .openapi({ description: "The author's earlier flags that brought the rule into force, oldest first" }),
    since: z.iso.datetime().openapi({ description: 'When the rule came into force (the last of those flags)' }),
    expires_at: z.iso.datetime().openapi({ description: 'When it stops applying, without anyone acting' }),
  })
  .openapi('Escalation', {
    description: "An escalation rule in force for the post's author when it was decided",
    example: {
      rule_id: 'hostility-2-in-14d',
      policy: 'hostility',
      raise_to: 'review',
      previous_action: 'allow',
      applied: true,
      flags: [
        { post_id: 'post-8802', decision_id: '4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', at: '2026-11-18T20:02:11.000Z' },
        { post_id: 'post-8817', decision_id: '5d2e3f4a-6b7c-4d8e-9f0a-1b2c3d4e5f6a', at: '2026-11-19T08:40:52.000Z' },
      ],
      since: '2026-11-19T08:40:52.000Z',
      expires_at: '2026-11-26T08:40:52.000Z',
    },
  });

export const suggestedReplySchema = z
  .object({
    language: z.string(),
    text: z.string(),
    resources: z.array(z.object({ name: z.string(), phone: z.string().optional(), url: z.string().optional() })),
  })
  .openapi('SuggestedReply', {
    example: {
      language: 'en',
      text: "Thank you for telling us how you're feeling. Living with this much pain is exhausting, and it makes sense that you're struggling. You're not alone here. If you're thinking about ending your life, please reach out now: Samaritans, 116 123 (free). If you might act on these thoughts soon, call 999. A moderator has been told and will check in.",
      resources: [{ name: 'Samaritans', phone: '116 123 (free)' }],
    },
  });

const exampleVerdict = {
  forum_id: 'chronic-pain',
  post_id: 'post-8841',
  revision: 1,
  decision_id: '0b6f3c1e-8a2d-4f5b-9c7e-1d2a3b4c5d6e',
  action: 'hold' as const,
  urgent: false,
  policies: [
    {
      policy: 'unsafe_medical_advice' as const,
      score: 0.95,
      flagged: true,
      evidence: [{ start: 0, end: 37, text: 'Just quit your duloxetine cold turkey' }],
      rationale: 'directive to another member to stop a prescribed medication',
    },
  ],
  policy_set_version: 'ps_da416101c812c187',
  decided_at: '2026-11-20T09:14:03.512Z',
  language: 'en',
  escalation: null,
  redacted_body: null,
  redactions: [],
  suggested_reply: null,
  author_message: {
    language: 'en',
    text: "Your post is waiting for a moderator because it seems to suggest a change to someone's medication or treatment that could be unsafe. A moderator will look at it soon, and you are welcome to edit it in the meantime.",
  },
};

export const verdictSchema = z
  .object({
    forum_id: z.string(),
    post_id: z.string(),
    revision: z.number().int().positive(),
    decision_id: z.uuid(),
    action: z.enum(actionOrder),
    urgent: z.boolean(),
    policies: z.array(policyResultSchema),
    policy_set_version: z.string(),
    decided_at: z.iso.datetime(),
    language: z.string().nullable().openapi({ description: 'Detected language of the post', example: 'en' }),
    redacted_body: z.string().nullable().openapi({
      description:
        "When the action is `redact`: the post as the forum sent it with someone else's personal data replaced (`[phone removed]`, `[email removed]`, `[address removed]`, `[name removed]`), markup kept; null otherwise",
    }),
    redactions: z
      .array(
        z.object({
          start: z.number().int(),
          end: z.number().int(),
          kind: z.enum(['phone', 'email', 'address', 'name', 'date_of_birth']),
          replacement: z.string(),
        }),
      )
      .openapi({
        description: 'The spans replaced in redacted_body, as offsets into the body the forum sent (UTF-16 code units, like evidence)',
      }),
    author_message: z.object({ language: z.string(), text: z.string() }).nullable().openapi({
      description:
        "For every non-allow verdict: one or two plain, kind sentences the forum can show the author about what happens to the post and why, in the post's language (en, es, fr, de; English otherwise). Never quotes the post. Null for allow",
    }),
    suggested_reply: suggestedReplySchema.nullable().openapi({
      description:
        "For an urgent verdict: a reply the forum can show the member at once, built from the forum's crisis resources in the post's language; null otherwise",
    }),
    escalation: escalationSchema.nullable().openapi({
      description: "The author's escalation rule in force when decided (see GET /v1/forums/{forumId}/authors/{authorId}); null when none",
    }),
  })
  .openapi('Verdict', { example: exampleVerdict });

export const verdictInForceSchema = verdictSchema
  .extend({
    action: z.enum(actionOrder).openapi({ description: "The action in force: the newest review's, else what Hearth decided" }),
    decided_action: z.enum(actionOrder).openapi({ description: 'What Hearth decided, before any review' }),
    review: z
      .object({
        outcome: z.enum(reviewOutcomes),
        action: z.enum(actionOrder),
        previous_action: z.enum(actionOrder).openapi({ description: 'The action in force before this review' }),
        reviewer: z.string().openapi({ description: "The reviewing key's name (or prefix)" }),
        reviewed_at: z.iso.datetime(),
        labels: z.array(z.enum(policyIds)).openapi({ description: 'The policies the moderator found to apply' }),
      })
      .nullable()
      .openapi({ description: 'The newest moderator review of this decision; null when none' }),
  })
  .openapi('VerdictInForce', {
    description: 'A verdict as the verdict route answers it: with the action a moderator put in force',
    example: {
      ...exampleVerdict,
      action: 'allow',
      decided_action: 'hold',
      review: {
        outcome: 'override',
        action: 'allow',
        previous_action: 'hold',
        reviewer: 'sam',
        reviewed_at: '2026-11-20T09:31:44.120Z',
        labels: [],
      },
    },
  });

export const callbackSchema = z.object({ type: z.literal('verdict.created'), data: verdictSchema }).openapi('VerdictCallback', {
  description: 'Body POSTed to the forum callback URL, signed with the callback secret',
  example: { type: 'verdict.created', data: exampleVerdict },
});

export const updatedCallbackSchema = z
  .object({
    type: z.literal('verdict.updated'),
    data: verdictSchema.extend({
      previous_action: z.enum(actionOrder),
      review: z.object({
        id: z.uuid(),
        outcome: z.literal('override'),
        labels: z.array(z.enum(policyIds)),
        reviewer: z.string(),
        reviewed_at: z.iso.datetime(),
      }),
    }),
  })
  .openapi('VerdictUpdatedCallback', {
    description: 'Body POSTed to the forum callback URL when a moderator overrides a verdict',
    example: {
      type: 'verdict.updated',
      data: {
        ...exampleVerdict,
        action: 'allow',
        previous_action: 'hold',
        review: {
          id: '9d0c4e2a-1b3f-4a5d-8e6f-7a8b9c0d1e2f',
          outcome: 'override',
          labels: [],
          reviewer: 'sam',
          reviewed_at: '2026-11-20T09:31:44.120Z',
        },
      },
    },
  });

export const forumParams = z.object({
  forumId: z.string().openapi({ param: { name: 'forumId', in: 'path' }, example: 'chronic-pain' }),
});

export const postParams = z.object({
  forumId: z.string().openapi({ param: { name: 'forumId', in: 'path' }, example: 'chronic-pain' }),
  postId: z.string().openapi({ param: { name: 'postId', in: 'path' }, example: 'post-123' }),
});

export const waitQuery = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .optional()
    .openapi({ param: { name: 'wait', in: 'query' }, description: 'Milliseconds to wait for the verdict (at most 10000)', example: 2000 }),
});

export const signatureHeaders = z.object({
  'webhook-id': z.string().openapi({ example: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' }),
  'webhook-timestamp': z.string().openapi({ example: '1764131040' }),
  'webhook-signature': z.string().openapi({ example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' }),
});

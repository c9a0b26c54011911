import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { CompiledStatement } from '../db/prepared.ts';
import { auditEvents, decisions, deliveries, forums, posts, revisions } from '../db/schema/index.ts';

/** A new revision (numbered by the statement) or a stored one; with or without a Discourse action. */
export interface DecisionShape {
  newRevision: boolean;
  engineAction: boolean;
}
/** One value per placeholder of the statement (see record-decision.ts for what each holds). */
export type DecisionStatementValues = Record<string, string | number | boolean | null>;
/** All null when nothing was written (the content was stored already, or the decision was). */
export interface DecisionStatementRow extends Record<string, unknown> {
  decision_id: string | null;
  revision: number | null;
  callback_id: string | null;
}

/** The most decisions written by one statement. */
export const MAX_DECISIONS_PER_STATEMENT = 8;

/**
 * Writes `count` decisions of one shape in one statement: each is its own group of
 * data-modifying CTEs (as a decision alone), so they share a round trip, a socket write and a
 * commit, and nothing else. All or nothing: any error (a unique key refusing one of them)
 * leaves none written. Returns one row per decision, in order.
 */
export async function runDecisionStatement(
  db: DbOrTx,
  shape: DecisionShape,
  values: DecisionStatementValues[],
): Promise<DecisionStatementRow[]> {
  const all: DecisionStatementValues = {};
  for (const [n, one] of values.entries()) for (const [name, value] of Object.entries(one)) all[`${name}_${n}`] = value;
  const rows = await compiled(shape, values.length).run(db, all);
  return values.map((_, n) => rows.find((row) => row.n === n) ?? { decision_id: null, revision: null, callback_id: null });
}

const statements = new Map<string, CompiledStatement<DecisionStatementRow & { n: number }>>();
function compiled(shape: DecisionShape, count: number): CompiledStatement<DecisionStatementRow & { n: number }> {
  const key = `${shape.newRevision ? 'new' : 'stored'}-${shape.engineAction ? 'engine' : 'plain'}-${count}`;
  let statement = statements.get(key);
  if (!statement) {
    const groups = Array.from({ length: count }, (_, n) => decisionGroup(shape, n));
    statement = new CompiledStatement(
      `record-decision-${key}`,
      sql`with ${sql.join(
        groups.map((g) => g.ctes),
        sql`, `,
      )} ${sql.join(
        groups.map((g) => g.result),
        sql` union all `,
      )}`,
    );
    statements.set(key, statement);
  }
  return statement;
}

/**
 * One decision's CTEs and its result row, names and placeholders suffixed with `_n`.
 *
 * For a new revision: the revision numbered after the post's last, its post and its `received`
 * event; then the decision, its verdict callback when the forum has an active callback URL, a
 * Discourse action for a post from Discourse, and the `decided` event. `revision_n` is the one
 * row (id, revision) everything hangs on, or no row: then nothing is written.
 */
function decisionGroup(shape: DecisionShape, n: number): { ctes: SQL; result: SQL } {
  const v = (name: string) => sql.placeholder(`${name}_${n}`);
  const jsonb = (name: string) => sql`${v(name)}::jsonb`;
  const at = sql`${v('at')}::timestamptz`;
  const revision = sql.raw(`revision_${n}`);
  const decision = sql.raw(`decision_${n}`);
  const callback = sql.raw(`callback_${n}`);
  const revisionCte = !shape.newRevision
    ? sql`${revision} as (select ${v('revisionId')}::uuid as id, ${v('storedRevision')}::int as revision)`
    : sql`${revision} as (
        insert into ${revisions} (id, forum_id, post_id, revision, content_hash, submission_id, author_id, author_name,
          thread_id, reply_to, title, body, format, metadata, posted_at, received_at)
        select ${v('revisionId')}::uuid, ${v('forumId')}::text, ${v('postId')}::text, coalesce(max(stored.revision), 0) + 1,
          ${v('contentHash')}::text, ${v('submissionId')}::text, ${v('authorId')}::text, ${v('authorName')}::text,
          ${v('threadId')}::text, ${v('replyTo')}::text, ${v('title')}::text, ${v('body')}::text,
          ${v('format')}::text, ${jsonb('metadata')}, ${v('postedAt')}::timestamptz, ${v('receivedAt')}::timestamptz
        from ${revisions} as stored
        where stored.forum_id = ${v('forumId')}::text and stored.post_id = ${v('postId')}::text
        having not coalesce(bool_or(stored.content_hash = ${v('contentHash')}::text), false)
        returning id, revision
      ), ${sql.raw(`new_post_${n}`)} as (
        insert into ${posts} (forum_id, post_id, author_id, thread_id, latest_revision)
        select ${v('forumId')}::text, ${v('postId')}::text, ${v('authorId')}::text, ${v('threadId')}::text, ${revision}.revision
        from ${revision}
        on conflict (forum_id, post_id) do update set latest_revision = excluded.latest_revision, updated_at = ${at}
      )`;
  const receivedEvent = !shape.newRevision
    ? sql``
    : sql`select ${v('forumId')}::text, 'received', 'forum:' || ${v('forumId')}::text, ${revision}.id::text,
          ${jsonb('receivedPayload')} || jsonb_build_object('revision', ${revision}.revision), ${at}
        from ${revision}
        union all `;
  const engineDelivery = shape.engineAction
    ? sql`, ${sql.raw(`engine_delivery_${n}`)} as (
        insert into ${deliveries} (id, webhook_id, forum_id, decision_id, event_type, payload)
        select ${v('engineId')}::uuid, ${v('engineWebhookId')}::text, ${v('forumId')}::text, ${decision}.id, 'discourse.action',
          ${jsonb('enginePayload')}
        from ${decision}
        returning id
      )`
    : sql``;
  const ctes = sql`${revisionCte},
    ${decision} as (
      insert into ${decisions} (id, forum_id, post_id, revision_id, revision, policy_set_version, action, urgent, policies,
        scorers, timings, language, llm, decided_at, lane, author_id, escalation, remedy)
      select ${v('decisionId')}::uuid, ${v('forumId')}::text, ${v('postId')}::text, ${revision}.id, ${revision}.revision,
        ${v('policySetVersion')}::text, ${v('action')}::text, ${v('urgent')}::boolean, ${jsonb('policies')},
        ${jsonb('scorers')}, ${jsonb('timings')}, ${v('language')}::text, ${jsonb('llm')}, ${at},
        ${v('lane')}::text, ${v('authorId')}::text, ${jsonb('escalation')}, ${jsonb('remedy')}
      from ${revision}
      on conflict (revision_id, policy_set_version) do nothing
      returning id, revision
    ), ${callback} as (
      insert into ${deliveries} (id, webhook_id, forum_id, decision_id, event_type, payload)
      select ${v('callbackId')}::uuid, ${v('callbackWebhookId')}::text, forum.id, ${decision}.id, 'verdict.created',
        jsonb_build_object('type', 'verdict.created', 'data', ${jsonb('verdict')} || jsonb_build_object('revision', ${decision}.revision))
      from ${decision} join ${forums} as forum on forum.id = ${v('forumId')}::text
      where forum.callback_url is not null and forum.callback_disabled_at is null
      returning id
    )${engineDelivery}, ${sql.raw(`events_${n}`)} as (
      insert into ${auditEvents} (forum_id, type, actor, subject_id, payload, created_at)
      ${receivedEvent}select ${v('forumId')}::text, 'decided', 'system', ${decision}.id::text,
        ${jsonb('decidedPayload')} || jsonb_build_object('revision', ${decision}.revision, 'delivery_id', (select id from ${callback})), ${at}
      from ${decision}
    )`;
  const result = sql`select ${sql.raw(String(n))} as n, (select id from ${decision}) as decision_id,
    (select revision from ${decision}) as revision, (select id from ${callback}) as callback_id`;
  return { ctes, result };
}

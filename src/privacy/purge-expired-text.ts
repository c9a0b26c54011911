import { and, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log.ts';
import type { Db } from '../db/client.ts';
import { decisions, deliveries, forums, revisions } from '../db/schema/index.ts';

export interface PurgeResult {
  forum_id: string;
  revisions: number;
  before: string;
}

/**
 * Removes post text older than each forum's retention period: the revision's body, title and
 * metadata, the words quoted as evidence in its decisions (the LLM's quotes included) and in
 * the callbacks that carried them. Decisions, scores, offsets and content hashes stay, and
 * audit events never held text, so the chain verifies as before. One transaction per forum, with its own audit event.
 */
export async function purgeExpiredText(db: Db, opts: { forumId?: string } = {}): Promise<PurgeResult[]> {
  const due = await db
    .select({ id: forums.id, days: forums.retentionDays })
    .from(forums)
    .where(and(isNotNull(forums.retentionDays), opts.forumId ? eq(forums.id, opts.forumId) : undefined));
  const results: PurgeResult[] = [];
  for (const forum of due) {
    if (forum.days === null) continue;
    const before = new Date(Date.now() - forum.days * 86_400_000);
    const purged = await db.transaction(async (tx) => {
      const rows = await tx
        .update(revisions)
        .set({ body: null, title: null, metadata: {}, purgedAt: new Date() })
        .where(and(eq(revisions.forumId, forum.id), lt(revisions.receivedAt, before), isNull(revisions.purgedAt)))
        .returning({ id: revisions.id });
      if (rows.length === 0) return 0;
      // Every decision of a purged revision, including ones stored after an earlier purge when
      // the same content came in again: the subqueries keep the statement's size independent
      // of how many revisions there are.
      const purgedDecisions = sql`select d.id from ${decisions} d join ${revisions} r on r.id = d.revision_id
        where d.forum_id = ${forum.id} and r.forum_id = ${forum.id} and r.purged_at is not null`;
      await tx.execute(sql`update ${decisions} d set policies = s.policies, llm = s.llm
        from (select id, ${withoutQuotedText(sql`policies`)} as policies, ${withoutLlmQuotes(sql`llm`)} as llm
              from ${decisions} where id in (${purgedDecisions})) s
        where d.id = s.id and (d.policies is distinct from s.policies or d.llm is distinct from s.llm)`);
      await tx.execute(sql`update ${deliveries} v set payload = s.payload
        from (select id, case
                when payload->>'type' = 'discourse.action' and payload->'data'->'request' ? 'message'
                  then jsonb_set(payload, '{data,request,message}', '"Hearth held this post for review."'::jsonb)
                when payload ? 'data' and payload->'data' ? 'policies'
                  then jsonb_set(payload, '{data,policies}', ${withoutQuotedText(sql`payload->'data'->'policies'`)})
                else payload end as payload
              from ${deliveries} where decision_id in (${purgedDecisions})) s
        where v.id = s.id and v.payload is distinct from s.payload`);
      // A redacted body is the post's text with only the leak masked: it goes with the text.
      await tx.execute(sql`update ${decisions} set remedy = jsonb_set(remedy, '{redacted_body}', 'null'::jsonb)
        where id in (${purgedDecisions}) and remedy->>'redacted_body' is not null`);
      await tx.execute(sql`update ${deliveries} set payload = jsonb_set(payload, '{data,redacted_body}', 'null'::jsonb)
        where decision_id in (${purgedDecisions}) and payload->'data'->>'redacted_body' is not null`);
      await appendAuditEvent(tx, {
        forumId: forum.id,
        type: 'text_purged',
        actor: 'system',
        subjectId: forum.id,
        payload: { revisions: rows.length, received_before: before.toISOString(), retention_days: forum.days },
      });
      return rows.length;
    });
    if (purged > 0) results.push({ forum_id: forum.id, revisions: purged, before: before.toISOString() });
  }
  return results;
}

/**
 * A policies array with every evidence span's text emptied (offsets kept), the quoted words
 * dropped from model rationales ("wording typical of … (\"…\")") and the LLM's rationales,
 * which are free text about the post, replaced.
 */
export function withoutQuotedText(policies: ReturnType<typeof sql>) {
  return sql`(select coalesce(jsonb_agg(
      jsonb_set(
        jsonb_set(p, '{evidence}', (select coalesce(jsonb_agg(e || '{"text": ""}'::jsonb), '[]'::jsonb) from jsonb_array_elements(p->'evidence') e)),
        '{rationale}', to_jsonb(case when p->>'rationale' like '%(LLM)' then 'judged by the LLM (its words purged)'
                                     else regexp_replace(p->>'rationale', '\\s*\\(".*\\)$', '') end)
      )), '[]'::jsonb)
    from jsonb_array_elements(${policies}) p)`;
}

/**
 * The LLM's record with the words it quoted emptied and its rationales dropped (a model's
 * rationale may repeat the post); its flags, confidences, tokens and model stay.
 */
export function withoutLlmQuotes(llm: ReturnType<typeof sql>) {
  return sql`(case when ${llm} is null or jsonb_typeof(${llm}->'judgements') <> 'array' then ${llm}
    else jsonb_set(${llm}, '{judgements}', (select coalesce(jsonb_agg(
      j || jsonb_build_object(
        'rationale', '',
        'evidence', (select coalesce(jsonb_agg(e || '{"text": ""}'::jsonb), '[]'::jsonb) from jsonb_array_elements(j->'evidence') e))
    ), '[]'::jsonb) from jsonb_array_elements(${llm}->'judgements') j)) end)`;
}

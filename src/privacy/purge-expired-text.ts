import { and, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
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
      const revisionIds = rows.map((r) => r.id);
      const decided = await tx
        .update(decisions)
        .set({ policies: sql`${withoutQuotedText(sql`${decisions.policies}`)}`, llm: sql`${withoutLlmQuotes(sql`${decisions.llm}`)}` })
        .where(inArray(decisions.revisionId, revisionIds))
        .returning({ id: decisions.id });
      if (decided.length > 0) {
        await tx
          .update(deliveries)
          .set({
            payload: sql`jsonb_set(${deliveries.payload}, '{data,policies}', ${withoutQuotedText(sql`${deliveries.payload}->'data'->'policies'`)})`,
          })
          .where(
            and(
              inArray(
                deliveries.decisionId,
                decided.map((d) => d.id),
              ),
              sql`${deliveries.payload} ? 'data'`,
            ),
          );
      }
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
 * A policies array with every evidence span's text emptied (offsets kept) and the quoted
 * words dropped from model rationales ("wording typical of … (\"…\")").
 */
function withoutQuotedText(policies: ReturnType<typeof sql>) {
  return sql`(select coalesce(jsonb_agg(
      jsonb_set(
        jsonb_set(p, '{evidence}', (select coalesce(jsonb_agg(e || '{"text": ""}'::jsonb), '[]'::jsonb) from jsonb_array_elements(p->'evidence') e)),
        '{rationale}', to_jsonb(regexp_replace(p->>'rationale', '\\s*\\(".*\\)$', ''))
      )), '[]'::jsonb)
    from jsonb_array_elements(${policies}) p)`;
}

/**
 * The LLM's record with the words it quoted emptied and its rationales dropped (a model's
 * rationale may repeat the post); its flags, confidences, tokens and model stay.
 */
function withoutLlmQuotes(llm: ReturnType<typeof sql>) {
  return sql`(case when ${llm} is null or jsonb_typeof(${llm}->'judgements') <> 'array' then ${llm}
    else jsonb_set(${llm}, '{judgements}', (select coalesce(jsonb_agg(
      j || jsonb_build_object(
        'rationale', '',
        'evidence', (select coalesce(jsonb_agg(e || '{"text": ""}'::jsonb), '[]'::jsonb) from jsonb_array_elements(j->'evidence') e))
    ), '[]'::jsonb) from jsonb_array_elements(${llm}->'judgements') j)) end)`;
}

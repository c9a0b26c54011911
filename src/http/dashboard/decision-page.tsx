/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { FC } from 'hono/jsx';
import type { SignedIn } from '../../auth/dashboard-sessions.ts';
import type { DecisionDetail } from '../../decisions/decision-detail.ts';
import type { decisionExtras } from '../../decisions/related-decisions.ts';
import { actionOrder, type ModerationAction, type PolicyId, policyIds } from '../../moderation/types.ts';
import { PostText, Remedy, ScoreBar } from './decision-parts.tsx';
import { age, Layout } from './layout.tsx';

export interface ThreadPost {
  decision_id: string;
  post_id: string;
  author_id: string;
  action: string;
  decided_at: string;
}

interface DecisionPageProps {
  nonce: string;
  signedIn: SignedIn;
  detail: DecisionDetail;
  /** The threshold in force for this forum, per policy (the forum's override, else the policy's). */
  flagAt: Partial<Record<PolicyId, number>>;
  thread: ThreadPost[];
  extras: Awaited<ReturnType<typeof decisionExtras>>;
  /** Someone else's claim, which keeps this reader from reviewing for now. */
  claimedByOther?: { claimed_by: string; expires_at: string };
  error?: string;
}

/**
 * What an override most often means: a held or removed post is fine after all, a published
 * one should come down. The moderator can change it before recording.
 */
export function suggestedOverride(current: ModerationAction): ModerationAction {
  return current === 'hold' || current === 'remove' ? 'allow' : 'remove';
}

/** One decision: the post with its evidence, why it was flagged, what happened since, and the review forms. */
export const DecisionPage: FC<DecisionPageProps> = ({ nonce, signedIn, detail, flagAt, thread, extras, claimedByOther, error }) => {
  const canReview = signedIn.key.role !== 'auditor' && !claimedByOther;
  const current = detail.review?.action ?? detail.action;
  const override = suggestedOverride(current);
  const flagged = detail.policies.filter((p) => p.flagged).map((p) => p.policy);
  const llm = detail.llm as {
    status?: string;
    reason?: string;
    model?: string;
    judgements?: Array<{ policy: string; flagged: boolean; confidence: number; rationale: string }>;
  } | null;
  return (
    <Layout title={`Post ${detail.post_id}`} nonce={nonce} signedIn={signedIn} section="queue">
      <p class="crumbs">
        <a href="/dashboard/queue">Queue</a> › {detail.forum_id} › {detail.post_id}
      </p>
      <h1>
        {detail.urgent && <span class="badge badge-urgent">URGENT</span>} Post {detail.post_id}{' '}
        <span class={`badge action-${current}`}>{current}</span>
      </h1>
      {error && (
        <p class="flash flash-error" role="alert">
          {error}
        </p>
      )}
      {claimedByOther && (
        <p class="flash flash-error" role="status">
          Claimed by {claimedByOther.claimed_by} until {new Date(claimedByOther.expires_at).toISOString().slice(11, 16)} UTC: you can read
          it, but not review it until then.
        </p>
      )}
      <div class="decision">
        <section aria-labelledby="post-h" class="post">
          <h2 id="post-h">The post</h2>
          <p class="meta">
            by{' '}
            <a href={`/dashboard/forums/${encodeURIComponent(detail.forum_id)}/authors/${encodeURIComponent(detail.post.author.id)}`}>
              {detail.post.author.name ?? detail.post.author.id}
            </a>{' '}
            in {detail.forum_id}, revision {detail.revision}, decided <time datetime={detail.decided_at}>{age(detail.decided_at)}</time> ago
            {detail.post.masked && <strong> · contact details masked</strong>}
          </p>
          {detail.post.body === null ? (
            <p class="empty">The text was purged under the forum's retention period.</p>
          ) : (
            <div class="post-text" lang={detail.language ?? undefined}>
              {detail.post.title !== null && (
                <p class="post-title">
                  <PostText text={detail.post.title} policies={detail.policies} field="title" />
                </p>
              )}
              <PostText text={detail.post.body} policies={detail.policies} />
            </div>
          )}
          <h3>Thread</h3>
          <p>
            Thread {detail.post.thread_id ?? 'not given'}
            {detail.post.reply_to && <>, in reply to {detail.post.reply_to}</>}.
          </p>
          {thread.length > 0 && (
            <ul class="thread">
              {thread.map((t) => (
                <li>
                  <a href={`/dashboard/decisions/${t.decision_id}`}>{t.post_id}</a> by {t.author_id}: {t.action},{' '}
                  <time datetime={t.decided_at}>{age(t.decided_at)}</time> ago
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="why-h" class="why">
          <h2 id="why-h">Why</h2>
          <table class="scores">
            <caption>Scores against each policy's flag_at in this forum</caption>
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Score</th>
                <th scope="col">flag_at</th>
                <th scope="col">Rationale</th>
              </tr>
            </thead>
            <tbody>
              {detail.policies.map((p) => (
                <tr class={p.flagged ? 'flagged' : undefined}>
                  <th scope="row">
                    <span class={`chip chip-${p.policy}`}>{p.policy}</span>
                    {p.flagged ? ' flagged' : ''}
                  </th>
                  <td>
                    {p.score.toFixed(2)} <ScoreBar score={p.score} flagAt={flagAt[p.policy]} />
                  </td>
                  <td data-label="flag_at">{flagAt[p.policy]?.toFixed(2) ?? '—'}</td>
                  <td>
                    {p.rationale}
                    {p.claim && (
                      <p class="claim">
                        Matches the known false claim “{p.claim.claim}”. Fact: {p.claim.fact} Source:{' '}
                        <a href={p.claim.source.url} rel="noreferrer noopener">
                          {p.claim.source.name}
                        </a>{' '}
                        (similarity {p.claim.similarity.toFixed(2)})
                      </p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="meta">
            Scorers: {detail.scorers.join(', ')} · policy set {detail.policy_set_version}
          </p>
          {extras.escalation?.applied && (
            <p class="claim">
              The author's standing raised this post from {extras.escalation.previous_action} to {extras.escalation.raise_to} (
              {extras.escalation.policy} flags; rule in force until {extras.escalation.expires_at.slice(0, 10)}).
            </p>
          )}
          {extras.remedy && <Remedy remedy={extras.remedy} />}
          {llm && (
            <>
              <h3>The LLM's part</h3>
              <p>
                {llm.status ?? 'unknown'}
                {llm.model && <> by {llm.model}</>}
                {llm.reason && <>: {llm.reason}</>}
              </p>
              {llm.judgements && (
                <ul>
                  {llm.judgements.map((j) => (
                    <li>
                      {j.policy}: {j.flagged ? 'flagged' : 'not flagged'} ({j.confidence.toFixed(2)}) – {j.rationale}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </section>
      </div>

      {canReview ? (
        <section aria-labelledby="review-h" class="review">
          <h2 id="review-h">Your review</h2>
          <div class="review-forms">
            <form method="post" action={`/dashboard/decisions/${detail.id}/review`} id="confirm-form">
              <input type="hidden" name="csrf" value={signedIn.session.csrfToken} />
              <input type="hidden" name="outcome" value="confirm" />
              <h3>Confirm</h3>
              <p>
                Keep <strong>{current}</strong>
                {flagged.length > 0 ? `, labelled ${flagged.join(', ')}` : ''}.
              </p>
              <label for="confirm-note">Note (optional)</label>
              <textarea id="confirm-note" name="note" rows={2} maxlength={2000} />
              <button type="submit" id="confirm-button" class="primary">
                Confirm {current} (c)
              </button>
            </form>
            <form method="post" action={`/dashboard/decisions/${detail.id}/review`} id="override-form">
              <input type="hidden" name="csrf" value={signedIn.session.csrfToken} />
              <input type="hidden" name="outcome" value="override" />
              <h3>Override</h3>
              <label for="override-action">New action</label>
              <select id="override-action" name="action" data-flagged={flagged.join(' ')}>
                {actionOrder.map((a) => (
                  <option value={a} selected={a === override}>
                    {a}
                  </option>
                ))}
              </select>
              <fieldset>
                <legend>Policies that truly apply (none: the post is clean)</legend>
                {policyIds.map((p) => (
                  <label class="check">
                    <input type="checkbox" name="labels" value={p} checked={override !== 'allow' && flagged.includes(p)} /> {p}
                  </label>
                ))}
              </fieldset>
              <label for="override-note">Note (optional)</label>
              <textarea id="override-note" name="note" rows={2} maxlength={2000} />
              <button type="submit" id="override-button" class="primary">
                Override (o)
              </button>
            </form>
          </div>
          <form method="post" action={`/dashboard/decisions/${detail.id}/release`} class="release">
            <input type="hidden" name="csrf" value={signedIn.session.csrfToken} />
            <button type="submit">Leave it for someone else (release my claim)</button>
          </form>
        </section>
      ) : (
        signedIn.key.role === 'auditor' && <p class="hint">Auditors read decisions; they do not review them.</p>
      )}

      <section aria-labelledby="reviews-h">
        <h2 id="reviews-h">Reviews</h2>
        {detail.reviews.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <ul>
            {detail.reviews.map((r) => (
              <li>
                {r.reviewer} {r.outcome === 'confirm' ? 'confirmed' : 'overrode to'} <strong>{r.action}</strong>, labels{' '}
                {r.labels.length ? r.labels.join(', ') : 'none'}
                {r.note && <>: “{r.note}”</>} (<time datetime={r.created_at}>{age(r.created_at)}</time> ago)
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="deliveries-h">
        <h2 id="deliveries-h">Deliveries</h2>
        {detail.deliveries.length === 0 ? (
          <p>None (the forum has no callback URL).</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
              </tr>
            </thead>
            <tbody>
              {detail.deliveries.map((d) => (
                <tr>
                  <td>{d.event_type}</td>
                  <td>{d.status}</td>
                  <td>
                    {d.attempts.length === 0
                      ? 'none yet'
                      : d.attempts.map((a) => `#${a.attempt}: ${a.status_code ?? a.error ?? '?'} (${a.latency_ms} ms)`).join('; ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="audit-h">
        <h2 id="audit-h">Audit trail</h2>
        <ol class="trail">
          {detail.audit_trail.map((e) => (
            <li>
              #{e.seq} {e.type} by {e.actor}, <time datetime={e.created_at}>{e.created_at.replace('T', ' ').slice(0, 19)}</time>
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
};

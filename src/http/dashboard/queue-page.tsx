/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { FC } from 'hono/jsx';
import type { SignedIn } from '../../auth/dashboard-sessions.ts';
import type { threadAlertView } from '../../members/thread-alerts.ts';
import { actionOrder, policyIds } from '../../moderation/types.ts';
import type { QueueItem } from '../../reviews/review-queue.ts';
import { age, Flash, Layout } from './layout.tsx';

export interface QueueFilters {
  forum_id?: string;
  policy?: string;
  action?: string;
}

interface QueuePageProps {
  nonce: string;
  signedIn: SignedIn;
  items: QueueItem[];
  /** Open tense-thread alerts: each thread is one item, its posts are not listed again below. */
  threads: Array<ReturnType<typeof threadAlertView>>;
  nextCursor: string | null;
  filters: QueueFilters;
  forums: string[];
  flash?: string;
}

export function queueQueryString(filters: QueueFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The review queue: urgent first, then oldest; j/k move, Enter opens. */
export const QueuePage: FC<QueuePageProps> = ({ nonce, signedIn, items, threads, nextCursor, filters, forums, flash }) => (
  <Layout title="Review queue" nonce={nonce} signedIn={signedIn} section="queue">
    <h1>Review queue</h1>
    {flash && <Flash kind="ok">{flash}</Flash>}
    <form method="get" action="/dashboard/queue" class="filters" aria-label="Filter the queue">
      <label>
        Forum
        <select name="forum_id">
          <option value="">all my forums</option>
          {forums.map((f) => (
            <option value={f} selected={filters.forum_id === f}>
              {f}
            </option>
          ))}
        </select>
      </label>
      <label>
        Policy
        <select name="policy">
          <option value="">any policy</option>
          {policyIds.map((p) => (
            <option value={p} selected={filters.policy === p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Action
        <select name="action">
          <option value="">any action</option>
          {actionOrder.map((a) => (
            <option value={a} selected={filters.action === a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Filter</button>
    </form>
    {threads.length > 0 && (
      <section aria-labelledby="threads-h" class="threads">
        <h2 id="threads-h">Tense threads</h2>
        <ul>
          {threads.map((t) => (
            <li data-thread={t.thread_id}>
              <strong>
                {t.reason === 'pile_on' ? 'Pile-on' : 'Many flagged posts'} in thread {t.thread_id}
              </strong>{' '}
              ({t.forum_id}
              {t.target_author_id ? `, aimed at ${t.target_author_id}` : ''}, opened <time datetime={t.opened_at}>{age(t.opened_at)}</time>{' '}
              ago):{' '}
              {t.decision_ids.map((id, i) => (
                <>
                  {i > 0 && ', '}
                  <a href={`/dashboard/decisions/${id}`}>post {i + 1}</a>
                </>
              ))}
              {signedIn.key.role !== 'auditor' && (
                <form method="post" action={`/dashboard/thread-alerts/${t.alert_id}/resolve`} class="inline">
                  <input type="hidden" name="csrf" value={signedIn.session.csrfToken} />
                  <label class="visually-hidden" for={`note-${t.alert_id}`}>
                    Note on thread {t.thread_id}
                  </label>
                  <input type="text" id={`note-${t.alert_id}`} name="note" maxlength={2000} placeholder="note (optional)" />
                  <button type="submit">I have stepped in: resolve</button>
                </form>
              )}
            </li>
          ))}
        </ul>
      </section>
    )}
    {items.length === 0 ? (
      <p class="empty">Nothing waits for review here. Well done.</p>
    ) : (
      <table class="queue" data-queue>
        <caption>
          {items.length} {items.length === 1 ? 'post' : 'posts'} awaiting review{nextCursor ? ' (first page)' : ''}; urgent first, then
          oldest
        </caption>
        <thead>
          <tr>
            <th scope="col">Post</th>
            <th scope="col">Forum</th>
            <th scope="col">Action</th>
            <th scope="col">Flagged</th>
            <th scope="col">Age</th>
            <th scope="col">Claimed by</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr data-row data-post={d.post_id} class={d.urgent ? 'urgent' : undefined}>
              <td data-label="Post">
                <a href={`/dashboard/decisions/${d.id}`} data-open>
                  {d.urgent && <span class="badge badge-urgent">URGENT</span>} {d.post_id}
                </a>
              </td>
              <td data-label="Forum">{d.forum_id}</td>
              <td data-label="Action">
                <span class={`badge action-${d.action}`}>{d.action}</span>
              </td>
              <td data-label="Flagged">
                {d.flagged.length === 0
                  ? 'none'
                  : d.flagged.map((f) => (
                      <span class={`chip chip-${f.policy}`}>
                        {f.policy} {f.score.toFixed(2)}
                      </span>
                    ))}
              </td>
              <td data-label="Age">
                <time datetime={d.decided_at}>{age(d.decided_at)}</time>
              </td>
              <td data-label="Claimed by">{d.claim ? (d.claim.mine ? 'you' : d.claim.claimed_by) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    {nextCursor && (
      <p>
        <a href={`/dashboard/queue${queueQueryString(filters, { cursor: nextCursor })}`}>Next page</a>
      </p>
    )}
    <p class="hint">
      <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> opens, <kbd>c</kbd> confirm, <kbd>o</kbd> override, <kbd>?</kbd> help.
    </p>
  </Layout>
);

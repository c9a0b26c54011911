/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { FC } from 'hono/jsx';
import type { SignedIn } from '../../auth/dashboard-sessions.ts';
import type { AuthorHistory } from '../../members/author-history.ts';
import { policyIds } from '../../moderation/types.ts';
import { BarChart } from './charts.tsx';
import { age, Layout } from './layout.tsx';

/** A member's history in one forum: standing, flags per policy, decisions and reviews. */
export const AuthorPage: FC<{ nonce: string; signedIn: SignedIn; history: AuthorHistory }> = ({ nonce, signedIn, history }) => {
  const flagsPerPolicy = policyIds.map((p) => ({
    label: p,
    value: history.flags_by_week.filter((w) => w.policy === p).reduce((n, w) => n + w.flags, 0),
  }));
  return (
    <Layout title={`Author ${history.author_id}`} nonce={nonce} signedIn={signedIn} section="queue">
      <p class="crumbs">
        <a href="/dashboard/queue">Queue</a> › {history.forum_id} › author
      </p>
      <h1>Author {history.author_id}</h1>
      <p role="status">
        {history.standing.escalated ? (
          <strong>
            Escalated: new posts get at least {history.standing.least_action} (
            {history.standing.rules_in_force.map((r) => `${r.policy} until ${r.expires_at.slice(0, 10)}`).join('; ')})
          </strong>
        ) : (
          'No escalation in force.'
        )}
      </p>
      <BarChart title="Flags in the last year, per policy (overridden flags left out)" bars={flagsPerPolicy} />
      <h2>Decisions</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Post</th>
            <th scope="col">Action</th>
            <th scope="col">Flagged</th>
            <th scope="col">Age</th>
          </tr>
        </thead>
        <tbody>
          {history.decisions.map((d) => (
            <tr>
              <td>
                <a href={`/dashboard/decisions/${d.decision_id}`}>
                  {d.urgent && <span class="badge badge-urgent">URGENT</span>} {d.post_id}
                </a>
              </td>
              <td>
                <span class={`badge action-${d.action}`}>{d.action}</span>
              </td>
              <td>
                {d.flagged.length === 0
                  ? 'none'
                  : d.flagged.map((f) => (
                      <span class={`chip chip-${f.policy}`}>
                        {f.policy} {f.score.toFixed(2)}
                      </span>
                    ))}
              </td>
              <td>
                <time datetime={d.decided_at}>{age(d.decided_at)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Reviews</h2>
      {history.reviews.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {history.reviews.map((r) => (
            <li>
              {r.post_id}: {r.reviewer} {r.outcome === 'confirm' ? 'confirmed' : 'overrode to'} {r.action}
              {r.note && <>: “{r.note}”</>}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
};

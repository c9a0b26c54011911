/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { FC } from 'hono/jsx';
import type { CheckpointReport } from '../../audit/audit-checkpoints.ts';
import type { AuditEventView } from '../../audit/audit-event-view.ts';
import type { SignedIn } from '../../auth/dashboard-sessions.ts';
import { auditEventTypes } from '../../db/schema/index.ts';
import { Layout } from './layout.tsx';

interface AuditPageProps {
  nonce: string;
  signedIn: SignedIn;
  forums: string[];
  forumId?: string;
  type?: string;
  subjectId?: string;
  report?: CheckpointReport;
  /** Events written but not yet sealed into the chain. */
  pending: number;
  /** Whether the chain is keyed with HEARTH_AUDIT_KEY. */
  keyed: boolean;
  events: AuditEventView[];
  nextCursor: string | null;
}

/** A forum's audit chain: whether it verifies, and its events, newest first. */
export const AuditPage: FC<AuditPageProps> = ({
  nonce,
  signedIn,
  forums,
  forumId,
  type,
  subjectId,
  report,
  pending,
  keyed,
  events,
  nextCursor,
}) => {
  const query = (extra: Record<string, string>) =>
    `?${new URLSearchParams(Object.entries({ forum_id: forumId ?? '', type: type ?? '', subject_id: subjectId ?? '', ...extra }).filter(([, v]) => v))}`;
  return (
    <Layout title="Audit" nonce={nonce} signedIn={signedIn} section="audit">
      <h1>Audit</h1>
      <form method="get" action="/dashboard/audit" class="filters" aria-label="Filter audit events">
        <label>
          Forum
          <select name="forum_id">
            {forums.map((f) => (
              <option value={f} selected={forumId === f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <label>
          Event
          <select name="type">
            <option value="">any event</option>
            {auditEventTypes.map((t) => (
              <option value={t} selected={type === t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Subject id
          <input type="text" name="subject_id" value={subjectId ?? ''} />
        </label>
        <button type="submit">Show</button>
      </form>
      {report && (
        <p class="verify" role="status">
          Chain of {forumId}:{' '}
          {report.ok ? (
            <span class="ok">verified</span>
          ) : (
            <span class="broken">
              NOT VERIFIED
              {report.firstBroken ? `: broken at event #${report.firstBroken.seq} (${report.firstBroken.reason})` : ''}
            </span>
          )}
          , {report.checked} events checked{keyed ? ' with the audit key' : ''}
          {report.checkpoint &&
            (report.checkpoint.ok
              ? `, matching the signed checkpoint at #${report.checkpoint.seq}`
              : `; checkpoint #${report.checkpoint.seq}: ${report.checkpoint.reason}`)}
          {pending > 0 && `; ${pending} newer events still being sealed`}.
        </p>
      )}
      {events.length === 0 ? (
        <p class="empty">No events match.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Event</th>
              <th scope="col">By</th>
              <th scope="col">When (UTC)</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr>
                <td>{e.seq}</td>
                <td>{e.type}</td>
                <td>{e.actor}</td>
                <td>
                  <time datetime={e.created_at}>{e.created_at.replace('T', ' ').slice(0, 19)}</time>
                </td>
                <td>
                  <code class="payload">{JSON.stringify(e.payload)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextCursor && (
        <p>
          <a href={`/dashboard/audit${query({ cursor: nextCursor })}`}>Older events</a>
        </p>
      )}
    </Layout>
  );
};

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { FC } from 'hono/jsx';
import type { decisionExtras } from '../../decisions/related-decisions.ts';
import type { PolicyResult } from '../../moderation/types.ts';
import { segmentText } from './highlight.ts';

/** The post text with each flagged policy's evidence marked in its colour and named by a label. */
export const PostText: FC<{ text: string; policies: PolicyResult[]; field?: 'title' }> = ({ text, policies, field }) => {
  const spans = policies
    .filter((p) => p.flagged)
    .flatMap((p) =>
      p.evidence.filter((e) => (e.field ?? 'body') === (field ?? 'body')).map((e) => ({ start: e.start, end: e.end, policy: p.policy })),
    );
  return (
    <>
      {segmentText(text, spans).map((s) =>
        s.policies.length === 0 ? (
          s.text
        ) : (
          <>
            {s.starts.map((p) => (
              <span class={`ev-label ev-${p}`}>{p}</span>
            ))}
            <mark class={`ev ev-${s.policies[0]}${s.policies.length > 1 ? ' ev-multi' : ''}`} title={s.policies.join(', ')}>
              {s.text}
            </mark>
          </>
        ),
      )}
    </>
  );
};

/** A score as a bar, with the flag threshold as a tick. */
export const ScoreBar: FC<{ score: number; flagAt?: number }> = ({ score, flagAt }) => (
  <svg class="score-bar" viewBox="0 0 100 10" width="100" height="10" aria-hidden="true" focusable="false">
    <rect class="score-track" x="0" y="0" width="100" height="10" />
    <rect
      class={flagAt !== undefined && score >= flagAt ? 'score-fill over' : 'score-fill'}
      x="0"
      y="0"
      width={Math.round(score * 100)}
      height="10"
    />
    {flagAt !== undefined && <rect class="score-threshold" x={Math.min(99, Math.round(flagAt * 100))} y="0" width="1.5" height="10" />}
  </svg>
);

/** What the decision carries for the member: the redacted text, a message, a crisis reply. */
export const Remedy: FC<{ remedy: NonNullable<Awaited<ReturnType<typeof decisionExtras>>['remedy']> }> = ({ remedy }) => (
  <>
    {remedy.redacted_body && (
      <>
        <h3>Published with personal data masked</h3>
        <p class="post-text">{remedy.redacted_body}</p>
      </>
    )}
    {remedy.author_message && (
      <>
        <h3>Message for the author</h3>
        <p lang={remedy.author_message.language}>{remedy.author_message.text}</p>
      </>
    )}
    {remedy.suggested_reply && (
      <>
        <h3>Suggested reply to a member in crisis</h3>
        <p lang={remedy.suggested_reply.language}>{remedy.suggested_reply.text}</p>
        <ul>
          {remedy.suggested_reply.resources.map((r) => (
            <li>
              {r.name}
              {r.phone && <>: {r.phone}</>}
              {r.url && (
                <>
                  {' '}
                  (
                  <a href={r.url} rel="noreferrer noopener">
                    {r.url}
                  </a>
                  )
                </>
              )}
            </li>
          ))}
        </ul>
      </>
    )}
  </>
);

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { FC } from 'hono/jsx';
import { keyStatus } from '../../auth/api-keys.ts';
import type { SignedIn } from '../../auth/dashboard-sessions.ts';
import { type ApiKey, apiKeyRoles, type Forum } from '../../db/schema/index.ts';
import { Flash, Layout } from './layout.tsx';

interface AdminPageProps {
  nonce: string;
  signedIn: SignedIn;
  keys: ApiKey[];
  forums: Forum[];
  /** A key just created: shown this once, never again. */
  created?: { key: string; record: ApiKey };
  flash?: string;
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '—');

/** Keys and forums' settings, for admins. */
export const AdminPage: FC<AdminPageProps> = ({ nonce, signedIn, keys, forums, created, flash }) => {
  const csrf = signedIn.session.csrfToken;
  return (
    <Layout title="Admin" nonce={nonce} signedIn={signedIn} section="admin">
      <h1>Admin</h1>
      {flash && <Flash kind="ok">{flash}</Flash>}
      {created && (
        <section aria-labelledby="created-h">
          <h2 id="created-h">New key for {created.record.name ?? created.record.keyPrefix}</h2>
          <p>Copy it now and hand it over safely: Hearth keeps only its hash and cannot show it again.</p>
          <p class="key-once">
            <code>{created.key}</code>
          </p>
        </section>
      )}
      <h2>API keys</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Forums</th>
            <th scope="col">Status</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span class="visually-hidden">Revoke</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr>
              <td>
                <code>{k.keyPrefix}…</code>
              </td>
              <td>{k.name ?? '—'}</td>
              <td>{k.role}</td>
              <td>{k.forumIds?.join(', ') ?? 'all'}</td>
              <td>{keyStatus(k)}</td>
              <td>{day(k.expiresAt)}</td>
              <td>{day(k.lastUsedAt)}</td>
              <td>
                {keyStatus(k) !== 'revoked' && (
                  <form method="post" action={`/dashboard/admin/keys/${k.id}/revoke`}>
                    <input type="hidden" name="csrf" value={csrf} />
                    <button type="submit" aria-label={`Revoke key ${k.keyPrefix} (${k.name ?? 'unnamed'})`}>
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Create a key</h3>
      <form method="post" action="/dashboard/admin/keys" class="filters">
        <input type="hidden" name="csrf" value={csrf} />
        <label>
          Role
          <select name="role">
            {apiKeyRoles.map((r) => (
              <option value={r} selected={r === 'moderator'}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Forums (space separated; none for admin)
          <input type="text" name="forums" />
        </label>
        <label>
          Name
          <input type="text" name="name" maxlength={100} />
        </label>
        <label>
          Expires in (e.g. 30d; empty: never)
          <input type="text" name="expires_in" />
        </label>
        <button type="submit">Create key</button>
      </form>
      <h2>Forums</h2>
      {forums.map((f) => (
        <form method="post" action={`/dashboard/admin/forums/${f.id}`} class="forum-settings">
          <input type="hidden" name="csrf" value={csrf} />
          <fieldset>
            <legend>{f.id}</legend>
            <label>
              Name
              <input type="text" name="name" value={f.name} maxlength={200} required />
            </label>
            <label>
              Callback URL (empty: no callbacks)
              <input type="url" name="callback_url" value={f.callbackUrl ?? ''} />
            </label>
            {f.callbackDisabledAt && (
              <label class="check">
                <input type="checkbox" name="enable_callback" value="1" /> Re-enable the callback (disabled {day(f.callbackDisabledAt)}:{' '}
                {f.callbackDisabledReason ?? 'the forum answered 410'})
              </label>
            )}
            <label>
              Keep post text for (days; empty: for ever)
              <input type="number" name="retention_days" min={1} max={3650} value={f.retentionDays?.toString() ?? ''} />
            </label>
            <label class="check">
              <input type="checkbox" name="llm" value="on" checked={(f.llmSettings as { enabled?: boolean }).enabled !== false} /> Ask the
              LLM about uncertain posts (when one is configured)
            </label>
            <button type="submit">Save {f.id}</button>
          </fieldset>
        </form>
      ))}
    </Layout>
  );
};

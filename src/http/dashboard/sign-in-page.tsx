/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { FC } from 'hono/jsx';
import { Flash, Layout } from './layout.tsx';

/** The sign-in form: an API key exchanged for a session; the key goes no further than this post. */
export const SignInPage: FC<{ nonce: string; csrf: string; error?: string; notice?: string }> = ({ nonce, csrf, error, notice }) => (
  <Layout title="Sign in" nonce={nonce}>
    <section class="sign-in">
      <h1>Sign in to Hearth</h1>
      {notice && <Flash kind="ok">{notice}</Flash>}
      {error && <Flash kind="error">{error}</Flash>}
      <form method="post" action="/dashboard">
        <input type="hidden" name="csrf" value={csrf} />
        <label for="key">API key</label>
        <input id="key" name="key" type="password" autocomplete="off" required spellcheck={false} aria-describedby="key-hint" autofocus />
        <p id="key-hint" class="hint">
          The key your forum's admin gave you, starting with <code>hk_</code>. It is checked once and not kept in your browser.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </section>
  </Layout>
);

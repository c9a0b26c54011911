/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { Child, FC } from 'hono/jsx';
import type { SignedIn } from '../../auth/dashboard-sessions.ts';

interface LayoutProps {
  title: string;
  nonce: string;
  signedIn?: SignedIn;
  /** Which navigation entry is this page's, for aria-current. */
  section?: 'queue' | 'stats' | 'audit' | 'admin';
  children?: Child;
}

/** Who the signed-in key is, as others see it in claims and reviews. */
export function keyLabel(signedIn: SignedIn): string {
  return signedIn.key.name ?? signedIn.key.keyPrefix;
}

/**
 * The frame of every page: a skip link, the navigation for the key's role, sign-out, the
 * keyboard help, and the one script, allowed by this answer's nonce.
 */
export const Layout: FC<LayoutProps> = ({ title, nonce, signedIn, section, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · Hearth`}</title>
      <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
    </head>
    <body>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Hearth</span>
        {signedIn && (
          <nav aria-label="Dashboard">
            <a href="/dashboard/queue" aria-current={section === 'queue' ? 'page' : undefined}>
              Queue
            </a>
            <a href="/dashboard/stats" aria-current={section === 'stats' ? 'page' : undefined}>
              Stats
            </a>
            <a href="/dashboard/audit" aria-current={section === 'audit' ? 'page' : undefined}>
              Audit
            </a>
            {signedIn.key.role === 'admin' && (
              <a href="/dashboard/admin" aria-current={section === 'admin' ? 'page' : undefined}>
                Admin
              </a>
            )}
          </nav>
        )}
        {signedIn && (
          <form method="post" action="/dashboard/sign-out" class="sign-out">
            <input type="hidden" name="csrf" value={signedIn.session.csrfToken} />
            <span class="who">
              {keyLabel(signedIn)} ({signedIn.key.role})
            </span>
            <button type="submit">Sign out</button>
          </form>
        )}
      </header>
      <main id="main" tabindex={-1}>
        {children}
      </main>
      {signedIn && <KeyboardHelp />}
      <script nonce={nonce} src="/dashboard/assets/dashboard.js" />
    </body>
  </html>
);

const KeyboardHelp: FC = () => (
  <details id="help" class="help">
    <summary>Keyboard shortcuts (?)</summary>
    <dl>
      <dt>
        <kbd>j</kbd> / <kbd>k</kbd>
      </dt>
      <dd>next / previous post in the queue</dd>
      <dt>
        <kbd>Enter</kbd>
      </dt>
      <dd>open the selected post (and claim it)</dd>
      <dt>
        <kbd>c</kbd>
      </dt>
      <dd>confirm: goes to the Confirm button; Enter records it</dd>
      <dt>
        <kbd>o</kbd>
      </dt>
      <dd>override: goes to the Override button with the suggested action and labels; Enter records it (Shift+Tab to change them)</dd>
      <dt>
        <kbd>u</kbd>
      </dt>
      <dd>back to the queue</dd>
      <dt>
        <kbd>?</kbd>
      </dt>
      <dd>show or hide this help</dd>
    </dl>
  </details>
);

/** A time as an age a moderator reads at a glance: 40 s, 12 min, 3 h, 2 d. */
export function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

export const Flash: FC<{ kind: 'ok' | 'error'; children?: Child }> = ({ kind, children }) => (
  <p class={`flash flash-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
    {children}
  </p>
);

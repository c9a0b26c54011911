import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../../src/auth/api-keys.ts';
import { apiKeys, dashboardSessions, forums, reviews } from '../../../src/db/schema/index.ts';
import { DashboardClient } from '../../support/dashboard-client.ts';
import { type Harness, startHarness } from '../../support/harness.ts';
import { keyFor, seedDecision } from '../../support/seed.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const sessions = () => h.ctx.database.db.select().from(dashboardSessions);

describe('signing in to /dashboard', () => {
  it('offers a form posting a field named key, under a nonce-only CSP and no asset from another host', async () => {
    const browser = new DashboardClient(h.app);
    const res = await browser.get('/dashboard');
    expect(res.status).toBe(200);
    const html = browser.lastHtml;
    expect(html).toMatch(/<form method="post" action="\/dashboard">/);
    expect(html).toMatch(/<input id="key" name="key" type="password"/);
    expect(html).toMatch(/<label for="key">API key<\/label>/);
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([^']+)'(;|$)/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("form-action 'self'");
    // Every script carries this answer's nonce; every asset is a path on Hearth itself.
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url).toMatch(/^(\/dashboard|#)/);
    // A second answer gets another nonce.
    const again = await new DashboardClient(h.app).get('/dashboard');
    expect(again.headers.get('content-security-policy')).not.toContain(nonce);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('serves its stylesheet and script itself', async () => {
    const browser = new DashboardClient(h.app);
    const css = await browser.get('/dashboard/assets/dashboard.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('.ev-label');
    const js = await browser.get('/dashboard/assets/dashboard.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(await js.text()).toContain("case 'j'");
    const tag = js.headers.get('etag') ?? '';
    expect(tag).not.toBe('');
    expect((await browser.get('/dashboard/assets/dashboard.js', { 'if-none-match': tag })).status).toBe(304);
    expect((await browser.get('/dashboard/assets/..%2F..%2Fcontext.ts')).status).toBe(404);
  });

  it('exchanges a key for an HttpOnly, SameSite=Strict session cookie that does not hold the key', async () => {
    const { key } = await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'sam' });
    const browser = new DashboardClient(h.app);
    const res = await browser.signIn(key);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/queue');
    const cookie = browser.lastSetCookies.find((c) => c.startsWith('hearth_session='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/dashboard/);
    expect(cookie).not.toMatch(/; Secure/);
    const token = browser.cookies.get('hearth_session') ?? '';
    expect(token).not.toContain(key.slice(3));
    expect(key).not.toContain(token);
    const [stored] = await sessions();
    expect(JSON.stringify(stored)).not.toContain(key);

    const queue = await browser.get('/dashboard/queue');
    expect(queue.status).toBe(200);
    const slash = await browser.get('/dashboard/queue/');
    expect(slash.status).toBe(301);
    expect(slash.headers.get('location')).toBe('/dashboard/queue');
    const missing = await browser.get('/dashboard/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
    await browser.get('/dashboard/queue');
    expect(browser.lastHtml).toContain('Review queue');
    expect(browser.lastHtml).toContain('sam (moderator)');
    expect(browser.lastHtml).not.toContain(key);
  });

  it('marks the cookie Secure when the browser came over HTTPS (directly or through a TLS proxy)', async () => {
    const { key } = await keyFor(h.ctx, 'moderator', ['chronic-pain']);
    const direct = new DashboardClient(h.app, 'https://hearth.test');
    await direct.signIn(key);
    expect(direct.lastSetCookies.find((c) => c.startsWith('hearth_session='))).toMatch(/; Secure/);

    const proxied = new DashboardClient(h.app);
    await proxied.get('/dashboard', { 'x-forwarded-proto': 'https' });
    await proxied.post('/dashboard', { key, csrf: proxied.csrf() }, { 'x-forwarded-proto': 'https' });
    expect(proxied.lastSetCookies.find((c) => c.startsWith('hearth_session='))).toMatch(/; Secure/);
  });

  it('refuses an unknown, revoked or expired key with 401 and starts no session', async () => {
    const before = (await sessions()).length;
    const revoked = await keyFor(h.ctx, 'moderator', ['chronic-pain']);
    await revokeApiKey(h.ctx.database.db, revoked.record.id);
    for (const key of ['hk_not-a-real-key', revoked.key, '']) {
      const browser = new DashboardClient(h.app);
      const res = await browser.signIn(key);
      expect(res.status).toBe(401);
      expect(browser.lastHtml).toContain('That key is unknown, revoked or expired.');
      expect(browser.cookies.has('hearth_session')).toBe(false);
    }
    expect((await sessions()).length).toBe(before);
  });

  it('refuses a sign-in post without the form’s own token (login CSRF)', async () => {
    const { key } = await keyFor(h.ctx, 'moderator', ['chronic-pain']);
    const browser = new DashboardClient(h.app);
    await browser.get('/dashboard');
    const formToken = browser.csrf();
    const forged = await browser.post('/dashboard', { key, csrf: 'guessed-token-guessed-token' });
    expect(forged.status).toBe(403);
    expect(browser.cookies.has('hearth_session')).toBe(false);
    const noCookie = new DashboardClient(h.app);
    const res = await noCookie.post('/dashboard', { key, csrf: formToken });
    expect(res.status).toBe(403);
    expect(noCookie.cookies.has('hearth_session')).toBe(false);
  });

  it('sends a browser without a session to the form, and refuses its posts', async () => {
    const browser = new DashboardClient(h.app);
    const page = await browser.get('/dashboard/queue');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/dashboard?signed_out=1');
    const post = await browser.post('/dashboard/sign-out', { csrf: 'x' });
    expect(post.status).toBe(401);
  });
});

describe('ending sessions', () => {
  it('signs out: the session is gone and its cookie no longer works', async () => {
    const { key } = await keyFor(h.ctx, 'moderator', ['chronic-pain']);
    const browser = new DashboardClient(h.app);
    await browser.signIn(key);
    const token = browser.cookies.get('hearth_session') ?? '';
    await browser.get('/dashboard/queue');
    // Without the page's token, signing out is refused (a forged sign-out is CSRF too).
    expect((await browser.post('/dashboard/sign-out', { csrf: 'forged' })).status).toBe(403);
    const out = await browser.post('/dashboard/sign-out', { csrf: browser.csrf() });
    expect(out.status).toBe(303);
    expect(browser.cookies.has('hearth_session')).toBe(false);
    const replay = new DashboardClient(h.app);
    replay.cookies.set('hearth_session', token);
    expect((await replay.get('/dashboard/queue')).status).toBe(303);
  });

  it('ends every session of a key when the key is revoked', async () => {
    const { key, record } = await keyFor(h.ctx, 'moderator', ['chronic-pain']);
    const phone = new DashboardClient(h.app);
    const laptop = new DashboardClient(h.app);
    await phone.signIn(key);
    await laptop.signIn(key);
    expect((await phone.get('/dashboard/queue')).status).toBe(200);
    await revokeApiKey(h.ctx.database.db, record.id);
    for (const browser of [phone, laptop]) {
      const res = await browser.get('/dashboard/queue');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/dashboard?signed_out=1');
    }
  });

  it('ends a session at its expiry, and one left idle for an hour', async () => {
    const { key, record } = await keyFor(h.ctx, 'moderator', ['chronic-pain']);
    const browser = new DashboardClient(h.app);
    await browser.signIn(key);
    expect((await browser.get('/dashboard/queue')).status).toBe(200);
    const db = h.ctx.database.db;
    await db
      .update(dashboardSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(dashboardSessions.keyId, record.id));
    expect((await browser.get('/dashboard/queue')).status).toBe(303);

    const idle = new DashboardClient(h.app);
    await idle.signIn(key);
    expect((await idle.get('/dashboard/queue')).status).toBe(200);
    await db
      .update(dashboardSessions)
      .set({ lastSeenAt: new Date(Date.now() - 61 * 60_000) })
      .where(eq(dashboardSessions.keyId, record.id));
    expect((await idle.get('/dashboard/queue')).status).toBe(303);
  });

  it('never outlives the key: a key expiring in ten minutes makes a session that ends with it', async () => {
    const { key, record } = await keyFor(h.ctx, 'moderator', ['chronic-pain'], { expiresAt: new Date(Date.now() + 10 * 60_000) });
    await new DashboardClient(h.app).signIn(key);
    const [session] = await h.ctx.database.db.select().from(dashboardSessions).where(eq(dashboardSessions.keyId, record.id));
    expect(session?.expiresAt.getTime()).toBeLessThanOrEqual(record.expiresAt?.getTime() ?? 0);
  });
});

describe('unsigned pages', () => {
  it('shows the queue only to a signed-in browser', async () => {
    await seedDecision(h.ctx, { postId: 'unsigned-1', action: 'hold', flagged: [{ policy: 'hostility', score: 0.9 }] });
    const anonymous = new DashboardClient(h.app);
    const res = await anonymous.get('/dashboard/queue');
    expect(res.status).toBe(303);
    expect(await res.text()).not.toContain('unsigned-1');
  });
});

describe('request rate', () => {
  it('counts a session’s pages against its key’s API rate, answering 429 with Retry-After past it', async () => {
    const limited = await startHarness({ config: { rateLimits: { apiKey: { limit: 3, windowMs: 60_000 } } } });
    try {
      const { key } = await keyFor(limited.ctx, 'moderator', ['chronic-pain']);
      const browser = new DashboardClient(limited.app);
      await browser.signIn(key);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await browser.get('/dashboard/queue')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await browser.get('/dashboard/queue');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(browser.lastHtml).toContain('Slow down');
    } finally {
      await limited.close();
    }
  });
});

describe('every form of the dashboard', () => {
  it('is refused without a session (401) and without the session’s CSRF token (403), changing nothing', async () => {
    const d = await seedDecision(h.ctx, { postId: 'forms-1', action: 'hold', flagged: [{ policy: 'hostility', score: 0.9 }] });
    const { record } = await keyFor(h.ctx, 'moderator', ['chronic-pain'], { name: 'victim' });
    const uuid = '6a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    const forms: Array<[string, Record<string, string>]> = [
      ['/dashboard/sign-out', {}],
      [`/dashboard/decisions/${d.id}/review`, { outcome: 'override', action: 'allow' }],
      [`/dashboard/thread-alerts/${uuid}/resolve`, {}],
      [`/dashboard/decisions/${d.id}/release`, {}],
      ['/dashboard/admin/keys', { role: 'admin' }],
      [`/dashboard/admin/keys/${record.id}/revoke`, {}],
      ['/dashboard/admin/forums/chronic-pain', { name: 'Renamed', retention_days: '1' }],
    ];
    const admin = new DashboardClient(h.app);
    await admin.signIn((await keyFor(h.ctx, 'admin')).key);
    const anonymous = new DashboardClient(h.app);
    for (const [path, form] of forms) {
      expect([path, (await anonymous.post(path, form)).status]).toEqual([path, 401]);
      expect([path, (await admin.post(path, form)).status]).toEqual([path, 403]);
      expect([path, (await admin.post(path, { ...form, csrf: 'not-the-token' })).status]).toEqual([path, 403]);
    }
    expect((await admin.get('/dashboard/queue')).status).toBe(200);
    const [stillActive] = await h.ctx.database.db.select().from(apiKeys).where(eq(apiKeys.id, record.id));
    expect(stillActive?.revokedAt).toBeNull();
    const [forum] = await h.ctx.database.db.select().from(forums).where(eq(forums.id, 'chronic-pain'));
    expect(forum?.name).not.toBe('Renamed');
    expect(await h.ctx.database.db.select().from(reviews).where(eq(reviews.decisionId, d.id))).toHaveLength(0);
  });
});

import type { App } from '../../src/http/app.ts';

/**
 * A browser stand-in for dashboard route tests: keeps the cookies Hearth sets (as a browser
 * would for /dashboard paths), posts forms, and reads the CSRF token from the last page.
 */
export class DashboardClient {
  readonly cookies = new Map<string, string>();
  lastHtml = '';
  lastSetCookies: string[] = [];

  constructor(
    private readonly app: App,
    private readonly base = 'http://hearth.test',
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, { method: 'GET', headers });
  }

  async post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of ([] as string[]).concat(v)) body.append(k, one);
    return this.send(path, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  /** The hidden csrf field of the last page's forms. */
  csrf(): string {
    const match = /name="csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!match?.[1]) throw new Error('no csrf field on the last page');
    return match[1];
  }

  /** Opens the sign-in form and signs in with `key`; returns the answer to the form. */
  async signIn(key: string): Promise<Response> {
    await this.get('/dashboard');
    return this.post('/dashboard', { key, csrf: this.csrf() });
  }

  private async send(path: string, init: { method: string; body?: string; headers: Record<string, string> }): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.request(`${this.base}${path}`, {
      method: init.method,
      body: init.body,
      headers: { ...(cookie ? { cookie } : {}), ...init.headers },
    });
    this.lastSetCookies = res.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /max-age=0/i.test(a.trim())) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    if ((res.headers.get('content-type') ?? '').includes('text/html')) this.lastHtml = await res.clone().text();
    return res;
  }
}

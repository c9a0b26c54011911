import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** The CSP's directives as name → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

describe('/docs', () => {
  it('loads nothing from another host, under a Content-Security-Policy that allows only this origin', async () => {
    const res = await h.app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html.match(/https?:\/\/[^\s"'<>]+/g) ?? []).toEqual([]);
    expect(html).not.toMatch(/src="\/\//);

    const csp = directives(res.headers.get('content-security-policy') ?? '');
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    // No directive names a host or a scheme that could reach one.
    for (const [name, sources] of csp) {
      for (const source of sources) expect(["'self'", "'none'", "'unsafe-inline'", 'data:'], `${name} ${source}`).toContain(source);
    }
    // Inline code is never allowed; only styles may be inline.
    expect([...csp].filter(([, sources]) => sources.includes("'unsafe-inline'")).map(([name]) => name)).toEqual(['style-src']);
    // Every script the page loads is served here.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline?.trim(), 'no inline script').toBe('');
      const src = /src="([^"]+)"/.exec(attributes ?? '')?.[1] ?? '';
      expect(src).toMatch(/^\/docs\/assets\//);
      const asset = await h.app.request(src);
      expect(asset.status, src).toBe(200);
      expect(asset.headers.get('content-type'), src).toMatch(/^text\/javascript/);
    }
  });

  it('serves the API reference bundle from the npm package, and a bootstrap that reads /openapi.json', async () => {
    const bundle = await h.app.request('/docs/assets/standalone.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    const code = await bundle.text();
    expect(code.length).toBeGreaterThan(100_000);
    expect(code).toContain('createApiReference');

    const bootstrap = await (await h.app.request('/docs/assets/init.js')).text();
    expect(bootstrap).toContain("Scalar.createApiReference('#app'");
    expect(JSON.parse(bootstrap.slice(bootstrap.indexOf('{'), bootstrap.lastIndexOf('}') + 1))).toMatchObject({
      url: '/openapi.json',
      withDefaultFonts: false,
      telemetry: false,
    });
  });
});

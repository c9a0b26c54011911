import type { App } from '../../src/http/app.ts';

/**
 * A parsed JSON response. Tests read bodies dynamically and let the assertions check their
 * shape, which is what is under test.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; narrowing each body first would only repeat the assertions.
export type JsonBody = Record<string, any>;

/** Sends a request to the app with no server, JSON in and out. */
export async function callApi(
  app: App,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: JsonBody }> {
  const res = await app.request(path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as JsonBody) : {} };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document walked generically.
type Json = Record<string, any>;

describe('/openapi.json', () => {
  it('has an example for every request body and every response of every operation and webhook', async () => {
    const doc = (await (await h.app.request('/openapi.json')).json()) as Json;
    const schemas: Json = doc.components?.schemas ?? {};
    const hasExample = (media: Json): boolean => {
      if ('example' in media || 'examples' in media) return true;
      let schema: Json = media.schema ?? {};
      while (schema.$ref) schema = schemas[String(schema.$ref).split('/').pop() ?? ''] ?? {};
      return 'example' in schema || 'examples' in schema;
    };
    const missing: string[] = [];
    let operations = 0;
    const walk = (label: string, op: Json) => {
      for (const [type, media] of Object.entries<Json>(op.requestBody?.content ?? {}))
        if (!hasExample(media)) missing.push(`${label}: request ${type}`);
      for (const [status, response] of Object.entries<Json>(op.responses ?? {}))
        for (const [type, media] of Object.entries<Json>(response.content ?? {}))
          if (!hasExample(media)) missing.push(`${label}: ${status} ${type}`);
    };
    for (const [path, item] of Object.entries<Json>(doc.paths))
      for (const [method, op] of Object.entries<Json>(item)) {
        operations++;
        walk(`${method.toUpperCase()} ${path}`, op);
      }
    for (const [name, item] of Object.entries<Json>(doc.webhooks ?? {}))
      for (const [method, op] of Object.entries<Json>(item)) walk(`webhook ${name} ${method.toUpperCase()}`, op);
    expect(operations).toBeGreaterThanOrEqual(17);
    expect(missing).toEqual([]);
  });
});

import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/** What the fake endpoint answers to one request. */
export interface FakeReply {
  status?: number;
  /** Judgements to send as the assistant's JSON content (a well-formed completion). */
  judgements?: unknown[];
  /** Raw assistant content, for malformed answers. */
  content?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface FakeRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean } };
}

/**
 * An OpenAI-compatible Chat Completions endpoint on loopback, scripted per test: `script`
 * decides each answer from the request, so a test can be a model that obeys instructions in
 * posts, a slow one, a rate-limited one or a broken one. The real openai SDK talks to it.
 */
export class FakeOpenAI {
  readonly requests: FakeRequest[] = [];
  url = '';
  script: (req: FakeRequest, n: number) => FakeReply = () => ({ judgements: [] });
  private server?: ReturnType<typeof serve>;

  async start(): Promise<this> {
    const app = new Hono();
    app.post('/v1/chat/completions', async (c) => {
      const req = (await c.req.json()) as FakeRequest;
      this.requests.push(req);
      const reply = this.script(req, this.requests.length);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      for (const [k, v] of Object.entries(reply.headers ?? {})) c.header(k, v);
      if (reply.status && reply.status !== 200)
        return c.json({ error: { message: `scripted ${reply.status}`, type: 'scripted' } }, reply.status as 429);
      const content = reply.content ?? JSON.stringify({ judgements: reply.judgements ?? [] });
      const usage = reply.usage ?? { prompt_tokens: 900, completion_tokens: 60 };
      return c.json({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: req.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      });
    });
    await new Promise<void>((resolve) => {
      this.server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
        this.url = `http://127.0.0.1:${info.port}/v1`;
        resolve();
      });
    });
    return this;
  }

  /** The post as the model saw it: the user message's text between the boundary markers. */
  static postOf(req: FakeRequest): string {
    const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
    return /<post-[0-9a-f]+>\n([\s\S]*)\n<\/post-[0-9a-f]+>/.exec(user)?.[1] ?? '';
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from './eventually.ts';

export interface ReceivedCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  at: number;
}

/**
 * A forum's callback endpoint on loopback. `statuses` scripts the answers in order (then
 * 200 for ever after), so tests can make it fail, recover, or answer 410; or it is a function
 * asked for each answer, for an outage that a test ends when it chooses.
 */
export class Receiver {
  readonly calls: ReceivedCall[] = [];
  private server?: Server;
  url = '';

  constructor(private statuses: number[] | (() => number) = []) {}

  /** Listens on `port` (default: any free one); a receiver stopped and started again keeps its URL. */
  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = typeof this.statuses === 'function' ? this.statuses() : (this.statuses.shift() ?? 200);
        this.calls.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          status,
          at: Date.now(),
        });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hearth`;
    return this;
  }

  waitForCalls(n: number, timeoutMs = 15_000): Promise<ReceivedCall[]> {
    return eventually(() => (this.calls.length >= n ? this.calls.slice(0, n) : undefined), timeoutMs, `${n} callback(s)`);
  }

  headersOf(call: ReceivedCall): Record<string, string> {
    return Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

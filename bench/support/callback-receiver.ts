import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallbackBody {
  type?: string;
  data?: { post_id?: string };
}

/**
 * A forum's callback endpoint on loopback for the benchmarks: hands each callback's parsed body
 * and its arrival time (`performance.now()`) to `onCallback`, and answers 200.
 */
export async function startCallbackReceiver(
  onCallback: (body: CallbackBody, at: number) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      onCallback(JSON.parse(Buffer.concat(chunks).toString('utf8')) as CallbackBody, at);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hearth`,
    close: () => new Promise<void>((resolve) => receiver.close(() => resolve())),
  };
}

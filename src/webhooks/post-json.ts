import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isPublicAddress, PrivateAddressError } from './callback-address.ts';

// Keep-alive connections per host: a forum receives a stream of callbacks, and a new TCP (and
// TLS) handshake for each was most of a delivery's cost. The address guard runs on every new
// connection (the agents pass `lookup` through); a reused socket was guarded when it opened.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8, timeout: 30_000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8, timeout: 30_000 }),
};

export interface PostResult {
  status: number;
  latencyMs: number;
}

/**
 * POSTs a JSON body and resolves with the status code (any status; the caller decides what
 * counts as success). Never follows redirects. Rejects on network errors, timeouts and
 * refused addresses.
 */
export function postJson(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<PostResult> {
  const url = new URL(rawUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Literal IPs skip DNS lookup entirely, so they are checked here.
  if (!options.allowPrivate && isIP(host) && !isPublicAddress(host)) {
    return Promise.reject(new PrivateAddressError(host, host));
  }
  const client = url.protocol === 'https:' ? https : http;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Hearth-Webhooks/1',
          ...headers,
        },
        lookup: guardedLookup(options.allowPrivate),
        // An overall deadline: a socket idle timeout alone lets a slow-drip server hold us.
        signal: AbortSignal.timeout(options.timeoutMs),
        agent: url.protocol === 'https:' ? agents['https:'] : agents['http:'],
      },
      (res) => {
        // Drain the answer; only the status matters, and an undrained socket would linger.
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, latencyMs: Math.round(performance.now() - started) }));
        res.on('error', reject);
      },
    );
    req.on('error', (err) =>
      reject(err.name === 'AbortError' || err.name === 'TimeoutError' ? new Error(`timed out after ${options.timeoutMs} ms`) : err),
    );
    req.end(body);
  });
}

import { createServer } from 'node:http';
import { Command, InvalidArgumentError } from 'commander';
import { AppError } from '../errors.ts';
import { verify } from '../webhooks/standard-webhooks.ts';
import type { Cli } from './cli-io.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number from 1 to 65535');
  return n;
}

/**
 * A stand-in for a forum's callback endpoint: verifies each verdict's signature and prints it.
 * For trying Hearth locally and for checking a forum's callback secret.
 */
export function receiveCommand(cli: Cli): Command {
  return new Command('receive')
    .description('listen for verdict callbacks, verify their signatures and print them (a stand-in forum)')
    .requiredOption('--secret <whsec>', "the forum's callback secret")
    .option('--port <n>', 'port to listen on', port, 9000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addHelpText('after', '\nExample:\n  npx hearth receive --port 9000 --secret whsec_…')
    .action((opts: { secret: string; port: number; host: string }) => {
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const header = (name: string) => req.headers[name] as string | undefined;
          const failure = verify(
            opts.secret,
            { id: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature') },
            body,
          );
          let summary = body;
          try {
            const { type, data } = JSON.parse(body);
            summary = type === 'thread.alert' || type === 'alert.urgent' ? alertSummary(type, data) : verdictSummary(type, data);
          } catch {
            // Not a verdict: print the raw body.
          }
          cli.stdout.write(`${failure ? `BAD SIGNATURE (${failure})` : 'signature ok'}  ${header('webhook-id')}  ${summary}\n`);
          res.writeHead(failure ? 401 : 200).end();
        });
      });
      // Resolves once listening, so a port in use is reported as this flag's error, not a crash.
      return new Promise<void>((resolve, reject) => {
        server.once('error', (err) => reject(new AppError('bad_request', `--port ${opts.port}: ${err.message}`)));
        server.listen(opts.port, opts.host, () => {
          cli.stdout.write(`listening on http://${opts.host}:${opts.port}/\n`);
          resolve();
        });
      });
    });
}

/** One line for a thread alert or an urgent alert, then the suggested reply on its own line. */
function alertSummary(type: string, data: Record<string, unknown>): string {
  if (type === 'thread.alert') {
    const details = (data.details ?? {}) as { post_ids?: string[] };
    return `thread.alert thread=${data.thread_id} reason=${data.reason}${data.target_author_id ? ` target=${data.target_author_id}` : ''} posts=${(details.post_ids ?? []).join(',')}`;
  }
  const reply = data.suggested_reply as { text?: string } | null;
  return `alert.urgent post=${data.post_id} author=${data.author_id}${reply?.text ? `\n    suggested reply: ${reply.text}` : ''}`;
}

/** One line for a verdict, with what a moderator, an escalation rule or a redaction changed. */
// biome-ignore lint/suspicious/noExplicitAny: a callback body read loosely, for people; anything unexpected prints raw.
function verdictSummary(type: string, data: any): string {
  const flagged = (data.policies as Array<{ policy: string; flagged: boolean; score: number }>)
    .filter((p) => p.flagged)
    .map((p) => `${p.policy}=${p.score}`);
  let summary = `${type} post=${data.post_id} rev=${data.revision} action=${data.action}${data.urgent ? ' URGENT' : ''} flagged=[${flagged.join(', ')}]`;
  // A moderator's override says what it replaced and who made it.
  if (data.previous_action) summary += ` was=${data.previous_action} by=${data.review?.reviewer ?? '?'}`;
  if (data.escalation?.applied) summary += ` escalated-by=${data.escalation.rule_id}`;
  if (data.redacted_body) summary += `\n    redacted: ${data.redacted_body}`;
  if (data.author_message) summary += `\n    to the author: ${data.author_message.text}`;
  return summary;
}

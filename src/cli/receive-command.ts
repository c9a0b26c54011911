import { createServer } from 'node:http';
import { Command } from 'commander';
import { verify } from '../webhooks/standard-webhooks.ts';
import type { Cli } from './cli-io.ts';

/**
 * A stand-in for a forum's callback endpoint: verifies each verdict's signature and prints it.
 * For trying Hearth locally and for checking a forum's callback secret.
 */
export function receiveCommand(cli: Cli): Command {
  return new Command('receive')
    .description('listen for verdict callbacks, verify their signatures and print them (a stand-in forum)')
    .requiredOption('--secret <whsec>', "the forum's callback secret")
    .option('--port <n>', 'port to listen on', '9000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addHelpText('after', '\nExample:\n  npx hearth receive --port 9000 --secret whsec_…')
    .action((opts: { secret: string; port: string; host: string }) => {
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
            const flagged = (data.policies as Array<{ policy: string; flagged: boolean; score: number }>)
              .filter((p) => p.flagged)
              .map((p) => `${p.policy}=${p.score}`);
            summary = `${type} post=${data.post_id} rev=${data.revision} action=${data.action}${data.urgent ? ' URGENT' : ''} flagged=[${flagged.join(', ')}]`;
            // A moderator's override says what it replaced and who made it.
            if (data.previous_action) summary += ` was=${data.previous_action} by=${data.review?.reviewer ?? '?'}`;
          } catch {
            // Not a verdict: print the raw body.
          }
          cli.stdout.write(`${failure ? `BAD SIGNATURE (${failure})` : 'signature ok'}  ${header('webhook-id')}  ${summary}\n`);
          res.writeHead(failure ? 401 : 200).end();
        });
      });
      server.listen(Number(opts.port), opts.host, () => cli.stdout.write(`listening on http://${opts.host}:${opts.port}/\n`));
    });
}

import { Command, InvalidArgumentError } from 'commander';
import { announceForumChange } from '../forums/forum-changes.ts';
import { createForum, listForums, updateForum } from '../forums/forums.ts';
import type { Cli } from './cli-io.ts';
import { withDatabase } from './database.ts';
import {
  checkCallbackUrl,
  checkIntegrations,
  type EngineOptions,
  integrationsFromOptions,
  namingFlags,
  overridesFromOptions,
} from './forum-flags.ts';
import { print, printTable } from './output.ts';

export function forumsCommand(cli: Cli): Command {
  const forums = new Command('forums').description('create, update and list forums (tenants)');

  forums
    .command('create')
    .argument('<id>', 'forum id: lower-case letters, digits, - and _')
    .option('--name <name>', 'display name')
    .option('--callback-url <url>', 'where verdicts are POSTed')
    .option('--discourse-secret <secret>', "the secret of the forum's Discourse webhook")
    .option('--mastodon-secret <secret>', "the secret of the server's Mastodon admin webhook")
    .option('--json', 'print JSON')
    .description('create a forum and print its ingest and callback secrets (shown once)')
    .addHelpText('after', '\nExample:\n  npx hearth forums create chronic-pain --callback-url https://forum.example/hearth --json')
    .action(
      async (
        id: string,
        opts: { name?: string; callbackUrl?: string; discourseSecret?: string; mastodonSecret?: string; json?: boolean },
      ) => {
        const integrations = integrationsFromOptions(opts);
        // Checked before anything is created, so a short secret does not leave half a forum.
        checkIntegrations(integrations);
        checkCallbackUrl(opts.callbackUrl, cli.config().callbacks.allowPrivate);
        const secrets = await withDatabase(cli, async ({ db }, allowPrivate) => {
          const created = await createForum(db, { id, name: opts.name, callbackUrl: opts.callbackUrl }, { allowPrivate, actor: 'cli' });
          if (integrations) await updateForum(db, id, { integrations }, { allowPrivate, actor: 'cli' });
          return created;
        });
        print(cli.stdout, { ...secrets }, Boolean(opts.json));
      },
    );

  forums
    .command('update')
    .argument('<id>', 'forum id')
    .option('--name <name>', 'display name')
    .option('--callback-url <url>', 'new callback URL (re-enables a disabled callback)')
    .option('--no-callback', 'stop sending verdicts')
    .option('--enable-callback', 're-enable a callback disabled after a 410 answer')
    .option('--rotate-ingest-secret', 'issue a new ingest secret')
    .option('--rotate-callback-secret', 'issue a new callback secret')
    .option('--disable-policy <policy...>', 'switch policies off for this forum')
    .option('--enable-policy <policy...>', 'switch policies back on')
    .option('--policy-overrides <json>', 'merge per-policy overrides, e.g. {"hostility":{"flag_at":0.6}}; null removes one')
    .option('--llm <on|off>', "send this forum's uncertain posts to the LLM (when one is configured)", (v) => {
      if (v !== 'on' && v !== 'off') throw new InvalidArgumentError('expected on or off');
      return v;
    })
    .option('--llm-daily-calls <n>', 'most LLM calls a day for this forum', wholeNumber)
    .option('--llm-daily-tokens <n>', 'most LLM tokens a day for this forum', wholeNumber)
    .option('--discourse-secret <secret>', "the secret of this forum's Discourse webhook (Discourse posts to /v1/hooks/discourse/ID)")
    .option('--discourse-private-messages <mode>', 'restrict (privacy and hostility only), all, or skip')
    .option('--discourse-url <url>', "the forum's Discourse, for acting on held and removed posts")
    .option('--discourse-api-key <key>', 'a Discourse API key for a staff user, for flagging and hiding')
    .option('--discourse-api-user <name>', 'the staff username the API key acts as (default: system)')
    .option('--mastodon-secret <secret>', "the secret of this server's Mastodon admin webhook (/v1/hooks/mastodon/ID)")
    .option('--retention-days <n>', 'purge post text older than n days (decisions and hashes stay); "off" keeps it', parseRetention)
    .option('--json', 'print JSON')
    .description("change a forum's settings")
    .addHelpText(
      'after',
      `\nExamples:\n  npx hearth forums update chronic-pain --enable-callback\n  npx hearth forums update chronic-pain --disable-policy misinformation\n  npx hearth forums update chronic-pain --policy-overrides '{"hostility":{"flag_at":0.6,"thresholds":[{"min":0.6,"action":"review"},{"min":0.9,"action":"hold"}]}}'`,
    )
    .action(
      async (
        id: string,
        opts: {
          name?: string;
          callbackUrl?: string;
          callback: boolean;
          enableCallback?: boolean;
          rotateIngestSecret?: boolean;
          rotateCallbackSecret?: boolean;
          disablePolicy?: string[];
          enablePolicy?: string[];
          policyOverrides?: string;
          retentionDays?: number | 'off';
          llm?: 'on' | 'off';
          llmDailyCalls?: number;
          llmDailyTokens?: number;
          json?: boolean;
        } & EngineOptions,
      ) => {
        const policyOverrides = overridesFromOptions(opts);
        checkCallbackUrl(opts.callbackUrl, cli.config().callbacks.allowPrivate);
        const forum = await withDatabase(cli, ({ db }, allowPrivate) =>
          updateForum(
            db,
            id,
            {
              name: opts.name,
              callbackUrl: opts.callback === false ? null : opts.callbackUrl,
              enableCallback: opts.enableCallback,
              rotateIngestSecret: opts.rotateIngestSecret,
              rotateCallbackSecret: opts.rotateCallbackSecret,
              policyOverrides,
              retentionDays: opts.retentionDays === 'off' ? null : opts.retentionDays,
              integrations: integrationsFromOptions(opts),
              llmSettings:
                opts.llm || opts.llmDailyCalls !== undefined || opts.llmDailyTokens !== undefined
                  ? {
                      ...(opts.llm ? { enabled: opts.llm === 'on' } : {}),
                      ...(opts.llmDailyCalls !== undefined ? { daily_calls: opts.llmDailyCalls } : {}),
                      ...(opts.llmDailyTokens !== undefined ? { daily_tokens: opts.llmDailyTokens } : {}),
                    }
                  : undefined,
            },
            { allowPrivate, actor: 'cli' },
          ).catch(namingFlags),
        );
        // Running services drop their cached copy now; without Redis they see it within the cache's time to live.
        const config = cli.config();
        if (!(await announceForumChange(config.redisUrl, config.queuePrefix, forum.id)))
          cli.stderr.write(
            `hearth: could not reach Redis to announce the change; running services see it within ${Math.round(config.ingest.forumCacheTtlMs / 1000)} s\n`,
          );
        print(
          cli.stdout,
          {
            id: forum.id,
            name: forum.name,
            callback_url: forum.callbackUrl,
            callback_disabled_at: forum.callbackDisabledAt?.toISOString() ?? null,
            policy_overrides: forum.policyOverrides,
            retention_days: forum.retentionDays,
            llm_settings: forum.llmSettings,
            engines: Object.keys(forum.integrations),
            ...(opts.rotateIngestSecret ? { ingest_secret: forum.ingestSecret } : {}),
            ...(opts.rotateCallbackSecret ? { callback_secret: forum.callbackSecret } : {}),
          },
          Boolean(opts.json),
        );
      },
    );

  forums
    .command('list')
    .option('--json', 'print JSON lines')
    .description('list forums (secrets are not shown)')
    .action(async (opts: { json?: boolean }) => {
      const rows = (await withDatabase(cli, ({ db }) => listForums(db))).map((f) => ({
        id: f.id,
        name: f.name,
        callback_url: f.callbackUrl,
        callback_disabled_at: f.callbackDisabledAt?.toISOString() ?? null,
      }));
      if (opts.json) {
        for (const row of rows) print(cli.stdout, row, true);
        return;
      }
      if (rows.length === 0) {
        cli.stdout.write('no forums yet; create one with: npx hearth forums create ID --callback-url URL\n');
        return;
      }
      printTable(
        cli.stdout,
        ['id', 'name', 'callback_url', 'callback_disabled_at'],
        rows.map((r) => [r.id, r.name, r.callback_url ?? '-', r.callback_disabled_at ?? '-']),
      );
    });

  return forums;
}

// Commander turns a parser's null into '', so "off" stays a word until the action reads it.
function parseRetention(value: string): number | 'off' {
  if (value === 'off') return 'off';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new InvalidArgumentError('expected whole days from 1 to 3650, or off');
  return n;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

import type { DbOrTx } from '../db/client.ts';
import { integrationsSchema } from '../engines/engine.ts';
import { AppError } from '../errors.ts';
import { getForum } from '../forums/forums.ts';
import { mergeOverrides, type PolicyOverride } from '../moderation/overrides.ts';
import { type PolicyId, policyIds } from '../moderation/types.ts';
import { callbackUrlProblem } from '../webhooks/callback-address.ts';

// The `forums` flags turned into service input, checked first so that every refusal names
// the flag at fault rather than a settings field the user never typed.

/** The engine flags of forums create and update. */
export interface EngineOptions {
  discourseSecret?: string;
  discoursePrivateMessages?: string;
  discourseUrl?: string;
  discourseApiKey?: string;
  discourseApiUser?: string;
  mastodonSecret?: string;
}

/** Each engine setting's flag, to name it in the service's messages. */
const ENGINE_FLAGS: Record<string, string> = {
  'discourse.secret': '--discourse-secret',
  'discourse.private_messages': '--discourse-private-messages',
  'discourse.base_url': '--discourse-url',
  'discourse.api_key': '--discourse-api-key',
  'discourse.api_username': '--discourse-api-user',
  'mastodon.secret': '--mastodon-secret',
};

export function integrationsFromOptions(opts: EngineOptions): Record<string, Record<string, unknown>> | undefined {
  const discourse = Object.fromEntries(
    Object.entries({
      secret: opts.discourseSecret,
      private_messages: opts.discoursePrivateMessages,
      base_url: opts.discourseUrl,
      api_key: opts.discourseApiKey,
      api_username: opts.discourseApiUser,
    }).filter(([, v]) => v !== undefined),
  );
  const out: Record<string, Record<string, unknown>> = {};
  if (Object.keys(discourse).length > 0) out.discourse = discourse;
  if (opts.mastodonSecret !== undefined) out.mastodon = { secret: opts.mastodonSecret };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Checks engine flags on their own (a new forum has nothing to merge them with). */
export function checkIntegrations(integrations: Record<string, Record<string, unknown>> | undefined): void {
  const checked = integrations ? integrationsSchema.safeParse(integrations) : undefined;
  if (checked && !checked.success) {
    throw new AppError('validation_failed', checked.error.issues.map((i) => `${flagOf(i.path.join('.'))}: ${i.message}`).join('; '));
  }
}

/** Rewrites a service refusal's setting names (discourse.secret) as the flags that set them. */
export function namingFlags(err: unknown): never {
  if (!(err instanceof AppError)) throw err;
  let message = err.message;
  for (const [field, flag] of Object.entries(ENGINE_FLAGS)) message = message.replaceAll(`${field}:`, `${flag}:`);
  throw new AppError(err.code, message, { details: err.details, cause: err });
}

function flagOf(field: string): string {
  return ENGINE_FLAGS[field] ?? field;
}

/** `--callback-url`, checked as the service will check it, with the flag and the way out named. */
export function checkCallbackUrl(url: string | undefined, allowPrivate: boolean): void {
  if (url === undefined) return;
  const problem = callbackUrlProblem(url, allowPrivate);
  if (problem) throw new AppError('validation_failed', `--callback-url ${url}: ${problem}`);
}

/** `--policy-overrides`, `--disable-policy` and `--enable-policy` as one change, each checked under its own name. */
export function overridesFromOptions(opts: {
  disablePolicy?: string[];
  enablePolicy?: string[];
  policyOverrides?: string;
}): Record<string, PolicyOverride | null> | undefined {
  if (!opts.disablePolicy && !opts.enablePolicy && !opts.policyOverrides) return undefined;
  let change: Record<string, PolicyOverride | null> = {};
  if (opts.policyOverrides) {
    const example = 'e.g. {"hostility":{"flag_at":0.6}}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(opts.policyOverrides);
    } catch {
      throw new AppError('validation_failed', `--policy-overrides must be JSON, ${example}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new AppError('validation_failed', `--policy-overrides must be a JSON object of policy ids, ${example}`);
    }
    change = parsed as Record<string, PolicyOverride | null>;
    checkPolicies('--policy-overrides', Object.keys(change));
    checkOverrides('--policy-overrides', change);
  }
  for (const [flag, policies, enabled] of [
    ['--disable-policy', opts.disablePolicy ?? [], false],
    ['--enable-policy', opts.enablePolicy ?? [], true],
  ] as const) {
    checkPolicies(flag, policies);
    for (const p of policies) {
      change[p] = { ...change[p], enabled };
      checkOverrides(`${flag} ${p}`, { [p]: { enabled } });
    }
  }
  return change;
}

function checkPolicies(flag: string, names: readonly string[]): void {
  const unknown = names.filter((n) => !policyIds.includes(n as PolicyId));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `${flag}: no policy ${unknown.map((n) => `"${n}"`).join(', ')}; use ${policyIds.join(', ')}`);
  }
}

function checkOverrides(flag: string, change: Record<string, PolicyOverride | null>): void {
  try {
    mergeOverrides({}, change);
  } catch (err) {
    throw new AppError('validation_failed', `${flag}: ${(err as Error).message}`);
  }
}

/** A forum named by a flag (`--forum`) or argument, which must exist. */
export async function assertForumExists(db: DbOrTx, id: string, flag: string): Promise<void> {
  if (!(await getForum(db, id))) {
    throw new AppError('forum_not_found', `${flag} ${id}: no such forum; see npx hearth forums list`);
  }
}

import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, hearth as run } from '../../support/cli.ts';
import { adminUrl, databaseUrl, RUN_ID } from '../../support/database-names.ts';

const name = `hearth_test_${RUN_ID}_clierr_${randomBytes(3).toString('hex')}`;
const env = { DATABASE_URL: databaseUrl(name) };

/** Runs a command that must succeed; its output. */
async function hearth(...args: string[]): Promise<CliRun> {
  const result = await run(args, { env });
  expect(result.code, `hearth ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

/** Runs a command that must fail, in one line on stderr and nothing on stdout. */
async function refused(...args: string[]): Promise<string> {
  const result = await run(args, { env });
  expect(result.code, `hearth ${args.join(' ')} should fail`).not.toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
  return result.stderr;
}

beforeAll(async () => {
  await hearth('forums', 'create', 'chronic-pain', '--callback-url', 'https://forum.example/hearth');
});

afterAll(async () => {
  const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists "${name}" with (force)`);
  await sql.end();
});

describe('a refused loopback or private callback URL', () => {
  it('names the flag and HEARTH_ALLOW_PRIVATE_CALLBACKS=1, and is accepted with it set', async () => {
    for (const url of ['http://127.0.0.1:9000/hearth', 'http://localhost:9000/hearth']) {
      const message = await refused('forums', 'create', 'trial', '--callback-url', url);
      expect(message).toContain(`--callback-url ${url}: `);
      expect(message).toContain('HEARTH_ALLOW_PRIVATE_CALLBACKS=1');
    }
    expect(await refused('forums', 'update', 'chronic-pain', '--callback-url', 'http://10.0.0.5/hook')).toMatch(
      /--callback-url .*not public; set HEARTH_ALLOW_PRIVATE_CALLBACKS=1/,
    );
    const allowed = await run(['forums', 'create', 'trial', '--callback-url', 'http://127.0.0.1:9000/hearth', '--json'], {
      env: { ...env, HEARTH_ALLOW_PRIVATE_CALLBACKS: '1' },
    });
    expect(allowed.code, allowed.stderr).toBe(0);
  });
});

describe('every CLI error names the flag or argument at fault', () => {
  it('an expiry that is not a period', async () => {
    expect(await refused('keys', 'create', '--role', 'admin', '--expires', '3 weeks')).toMatch(/option '--expires <period>'.*30d/);
  });

  it('policy overrides: not JSON, not an object, out of range, an unknown policy, crisis detection off', async () => {
    expect(await refused('forums', 'update', 'chronic-pain', '--policy-overrides', '{bad')).toMatch(/--policy-overrides must be JSON/);
    expect(await refused('forums', 'update', 'chronic-pain', '--policy-overrides', '[1]')).toMatch(
      /--policy-overrides must be a JSON object/,
    );
    expect(await refused('forums', 'update', 'chronic-pain', '--policy-overrides', '{"hostility":{"flag_at":7}}')).toMatch(
      /--policy-overrides: hostility\.flag_at: /,
    );
    expect(await refused('forums', 'update', 'chronic-pain', '--disable-policy', 'rudeness')).toMatch(
      /--disable-policy: no policy "rudeness"; use misinformation, /,
    );
    expect(await refused('forums', 'update', 'chronic-pain', '--disable-policy', 'self_harm')).toMatch(
      /--disable-policy self_harm: .*crisis detection cannot be switched off/,
    );
  });

  it('engine settings by their flags, not their stored field names', async () => {
    expect(await refused('forums', 'create', 'engine-forum', '--discourse-secret', 'short')).toMatch(/--discourse-secret: .*12 characters/);
    const missing = await refused('forums', 'update', 'chronic-pain', '--discourse-private-messages', 'all');
    expect(missing).toMatch(/--discourse-secret: missing/);
    expect(missing).not.toMatch(/discourse\.secret/);
  });

  it('an unknown forum, wherever it is named', async () => {
    expect(await refused('forums', 'update', 'no-such-forum', '--name', 'x')).toMatch(
      /forum no-such-forum does not exist; see npx hearth forums list/,
    );
    expect(await refused('audit', 'list', '--forum', 'no-such-forum')).toMatch(/--forum no-such-forum: no such forum/);
    expect(await refused('audit', 'verify', '--forum', 'no-such-forum')).toMatch(/--forum no-such-forum: no such forum/);
    expect(await refused('keys', 'create', '--role', 'moderator', '--forum', 'no-such-forum')).toMatch(
      /--forum no-such-forum: no such forum/,
    );
    // Refused before anything was stored.
    expect((await hearth('keys', 'list', '--json')).stdout).not.toContain('no-such-forum');
  });

  it('numbers that are not numbers', async () => {
    expect(await refused('audit', 'list', '--forum', 'chronic-pain', '--limit', 'all')).toMatch(/option '--limit <n>'/);
    expect(await refused('receive', '--secret', 'whsec_x', '--port', 'abc')).toMatch(/option '--port <n>'/);
  });
});

describe('lists for people have a header row; --json is unchanged', () => {
  it('forums list', async () => {
    const [header, ...rows] = (await hearth('forums', 'list')).stdout.trim().split('\n');
    expect(header).toMatch(/^id +name +callback_url +callback_disabled_at$/);
    expect(rows.find((r) => r.startsWith('chronic-pain '))).toMatch(/https:\/\/forum\.example\/hearth +-$/);
    const json = (await hearth('forums', 'list', '--json')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(json.find((f) => f.id === 'chronic-pain')).toEqual({
      id: 'chronic-pain',
      name: 'chronic-pain',
      callback_url: 'https://forum.example/hearth',
      callback_disabled_at: null,
    });
  });

  it('audit list', async () => {
    const [header, ...rows] = (await hearth('audit', 'list', '--forum', 'chronic-pain')).stdout.trim().split('\n');
    expect(header).toMatch(/^seq +created_at +type +subject +hash$/);
    expect(rows[0]).toMatch(/^1 +\S+Z +forum_created +chronic-pain +[0-9a-f]{12}$/);
    const [event] = (await hearth('audit', 'list', '--forum', 'chronic-pain', '--json', '--limit', '1')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(Object.keys(event).sort()).toEqual([
      'actor',
      'createdAt',
      'forumId',
      'hash',
      'id',
      'payload',
      'prevHash',
      'seq',
      'subjectId',
      'type',
    ]);
  });

  it('keys list shows when each key expires', async () => {
    await hearth('keys', 'create', '--role', 'admin', '--name', 'forever');
    const [header, ...rows] = (await hearth('keys', 'list')).stdout.trim().split('\n');
    expect(header).toMatch(/ expires$/);
    expect(rows.find((r) => / forever /.test(r))).toMatch(/ never$/);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { forumChangesChannel } from '../../../src/forums/forum-changes.ts';
import { type CliRun, hearth as run } from '../../support/cli.ts';
import { adminUrl, databaseUrl, RUN_ID } from '../../support/database-names.ts';
import { eventually } from '../../support/eventually.ts';

// A database that does not exist yet: the CLI must create and migrate it.
const name = `hearth_test_${RUN_ID}_cli_${randomBytes(3).toString('hex')}`;
// Its own queue prefix, so the forum changes it announces are heard by this test alone.
const queuePrefix = `hearth-cli-${RUN_ID}-${randomBytes(3).toString('hex')}`;
const env = { DATABASE_URL: databaseUrl(name), HEARTH_QUEUE_PREFIX: queuePrefix };

/** Runs a command that must succeed; its output. */
async function hearth(...args: string[]): Promise<CliRun> {
  const result = await run(args, { env });
  expect(result.code, `hearth ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

/** Runs a command that must fail; its exit code and what it printed. */
function refused(...args: string[]): Promise<CliRun> {
  return run(args, { env });
}

afterAll(async () => {
  const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists "${name}" with (force)`);
  await sql.end();
});

describe('hearth forums and keys', () => {
  it('creates a forum on a fresh database and prints its secrets as JSON', async () => {
    const { stdout } = await hearth('forums', 'create', 'chronic-pain', '--callback-url', 'https://forum.example/hearth', '--json');
    const forum = JSON.parse(stdout);
    expect(Object.keys(forum)).toEqual(['id', 'ingest_secret', 'callback_secret']);
    expect(forum.id).toBe('chronic-pain');
    expect(forum.ingest_secret).toMatch(/^whsec_/);
    expect(forum.callback_secret).toMatch(/^whsec_/);
    expect(forum.callback_secret).not.toBe(forum.ingest_secret);
  });

  it('creates an admin key, stored only as a hash', async () => {
    const { stdout } = await hearth('keys', 'create', '--role', 'admin', '--json');
    const created = JSON.parse(stdout);
    expect(created).toEqual({ key: expect.stringMatching(/^hk_[A-Za-z0-9_-]{40,}$/), role: 'admin', id: expect.any(String) });
    const sql = postgres(databaseUrl(name), { max: 1 });
    try {
      const rows = await sql`select key_hash, key_prefix from api_keys`;
      expect(rows).toHaveLength(1);
      expect(rows[0]?.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
      const dump = JSON.stringify(await sql`select * from api_keys`);
      expect(dump).not.toContain(created.key);
    } finally {
      await sql.end();
    }
  });

  it('reports user mistakes in one line with a non-zero exit', async () => {
    const duplicate = await refused('forums', 'create', 'chronic-pain');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);
    expect(duplicate.stderr).not.toMatch(/at .*\.ts:\d+/);
    const badRole = await refused('keys', 'create', '--role', 'boss');
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/admin, moderator, auditor/);
    const privateUrl = await refused('forums', 'create', 'other', '--callback-url', 'http://10.0.0.5/hook');
    expect(privateUrl.code).toBe(1);
    expect(privateUrl.stderr).toMatch(/not public/);
  });

  it('updates a forum: rotating a secret and re-enabling the callback, announced to running services', async () => {
    const subscriber = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const announced: string[] = [];
    subscriber.on('message', (_channel: string, forumId: string) => announced.push(forumId));
    await subscriber.subscribe(forumChangesChannel(queuePrefix));
    const { stdout } = await hearth('forums', 'update', 'chronic-pain', '--rotate-ingest-secret', '--enable-callback', '--json');
    await eventually(async () => (announced.includes('chronic-pain') ? true : undefined), 5_000, 'the announced change');
    subscriber.disconnect();
    const updated = JSON.parse(stdout);
    expect(updated.ingest_secret).toMatch(/^whsec_/);
    expect(updated.callback_disabled_at).toBeNull();
    const { stdout: list } = await hearth('forums', 'list', '--json');
    expect(JSON.parse(list.trim())).toMatchObject({ id: 'chronic-pain', callback_url: 'https://forum.example/hearth' });
  });

  it('creates scoped, expiring keys, lists them and revokes one', async () => {
    await hearth('forums', 'create', 'second-forum');
    const { stdout } = await hearth(
      'keys',
      'create',
      '--role',
      'moderator',
      '--forum',
      'chronic-pain',
      '--forum',
      'second-forum',
      '--name',
      'sam',
      '--expires',
      '30d',
      '--json',
    );
    const created = JSON.parse(stdout);
    expect(created).toMatchObject({
      role: 'moderator',
      forums: ['chronic-pain', 'second-forum'],
      name: 'sam',
      key: expect.stringMatching(/^hk_/),
    });
    const days = (new Date(created.expires_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    const listed = (await hearth('keys', 'list', '--json')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(listed[0]).toMatchObject({ id: created.id, role: 'moderator', status: 'active', forums: ['chronic-pain', 'second-forum'] });
    expect(JSON.stringify(listed)).not.toContain(created.key);
    const table = (await hearth('keys', 'list')).stdout;
    const [header, row] = table.split('\n');
    expect(header).toMatch(/^prefix +role +status +forums +name +expires$/);
    // The expiry shows, 30 days ahead, in the table as in --json.
    expect(row).toContain(listed[0].expires_at.slice(0, 10));

    const revoked = JSON.parse((await hearth('keys', 'revoke', created.key.slice(0, 10), '--json')).stdout);
    expect(revoked).toMatchObject({ id: created.id, status: 'revoked' });
    const unknown = await refused('keys', 'revoke', 'hk_nothing');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no key hk_nothing/);
  });

  it('refuses an unscoped moderator key and a nonsense expiry, in one line each', async () => {
    const unscoped = await refused('keys', 'create', '--role', 'moderator');
    expect(unscoped.code).toBe(1);
    expect(unscoped.stderr).toMatch(/needs at least one forum/);
    const badExpiry = await refused('keys', 'create', '--role', 'auditor', '--forum', 'chronic-pain', '--expires', 'next week');
    expect(badExpiry.code).not.toBe(0);
    expect(badExpiry.stderr).toMatch(/30d/);
  });

  it("sets and clears a forum's retention period", async () => {
    const set = JSON.parse((await hearth('forums', 'update', 'chronic-pain', '--retention-days', '90', '--json')).stdout);
    expect(set.retention_days).toBe(90);
    const cleared = JSON.parse((await hearth('forums', 'update', 'chronic-pain', '--retention-days', 'off', '--json')).stdout);
    expect(cleared.retention_days).toBeNull();
    const bad = await refused('forums', 'update', 'chronic-pain', '--retention-days', '0');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/1 to 3650/);
  });

  it('sets engine secrets and LLM settings, never printing the secrets back', async () => {
    const updated = JSON.parse(
      (
        await hearth(
          'forums',
          'update',
          'chronic-pain',
          '--discourse-secret',
          'a-long-test-secret-123',
          '--discourse-private-messages',
          'all',
          '--mastodon-secret',
          'another-long-secret',
          '--llm',
          'off',
          '--llm-daily-calls',
          '50',
          '--json',
        )
      ).stdout,
    );
    expect(updated).toMatchObject({
      engines: expect.arrayContaining(['discourse', 'mastodon']),
      llm_settings: { enabled: false, daily_calls: 50 },
    });
    expect(JSON.stringify(updated)).not.toContain('a-long-test-secret-123');
    const short = await refused('forums', 'create', 'short-secret', '--discourse-secret', 'tiny');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
    const forums = (await hearth('forums', 'list', '--json')).stdout;
    expect(forums).not.toContain('short-secret');
  });
});

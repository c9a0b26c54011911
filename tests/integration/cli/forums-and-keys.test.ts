import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { adminUrl, databaseUrl, RUN_ID } from '../../support/database-names.ts';

const run = promisify(execFile);
// A database that does not exist yet: the CLI must create and migrate it.
const name = `hearth_test_${RUN_ID}_cli_${randomBytes(3).toString('hex')}`;
const env = { ...process.env, DATABASE_URL: databaseUrl(name) };

function hearth(...args: string[]) {
  return run(process.execPath, ['src/cli/bin.js', ...args], { env });
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
    expect(created).toEqual({ key: expect.stringMatching(/^hk_[A-Za-z0-9_-]{40,}$/), role: 'admin' });
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
    const duplicate = await hearth('forums', 'create', 'chronic-pain').catch((e) => e);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);
    expect(duplicate.stderr).not.toMatch(/at .*\.ts:\d+/);
    const badRole = await hearth('keys', 'create', '--role', 'boss').catch((e) => e);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/admin, moderator, auditor/);
    const privateUrl = await hearth('forums', 'create', 'other', '--callback-url', 'http://10.0.0.5/hook').catch((e) => e);
    expect(privateUrl.code).toBe(1);
    expect(privateUrl.stderr).toMatch(/not public/);
  });

  it('updates a forum: rotating a secret and re-enabling the callback', async () => {
    const { stdout } = await hearth('forums', 'update', 'chronic-pain', '--rotate-ingest-secret', '--enable-callback', '--json');
    const updated = JSON.parse(stdout);
    expect(updated.ingest_secret).toMatch(/^whsec_/);
    expect(updated.callback_disabled_at).toBeNull();
    const { stdout: list } = await hearth('forums', 'list', '--json');
    expect(JSON.parse(list.trim())).toMatchObject({ id: 'chronic-pain', callback_url: 'https://forum.example/hearth' });
  });
});

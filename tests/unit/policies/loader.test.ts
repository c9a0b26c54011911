import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPoliciesDir, loadPolicySet, PolicyFileError } from '../../../src/policies/loader.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function copyPolicies(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'hearth-policies-'));
  await cp(defaultPoliciesDir, dir, { recursive: true });
  return dir;
}

describe('policy loading', () => {
  it('loads the five policies with a content-hash version', async () => {
    const set = await loadPolicySet();
    expect(set.policies.map((p) => p.id).sort()).toEqual([
      'hostility',
      'misinformation',
      'privacy_leak',
      'self_harm',
      'unsafe_medical_advice',
    ]);
    expect(set.version).toMatch(/^ps_[0-9a-f]{16}$/);
    expect((await loadPolicySet()).version).toBe(set.version);
  });

  it('changes version when any file changes, lexicons included', async () => {
    const base = (await loadPolicySet()).version;
    const d = await copyPolicies();
    const file = join(d, '_lexicons.yaml');
    await writeFile(file, `${await readFile(file, 'utf8')}\n# a comment\n`);
    expect((await loadPolicySet(d)).version).not.toBe(base);
  });

  it('names the file, the field and the problem of a broken policy', async () => {
    const d = await copyPolicies();
    const file = join(d, 'hostility.yaml');
    const broken = (await readFile(file, 'utf8')).replace('flag_at: 0.5', 'flag_at: high');
    await writeFile(file, broken);
    const err = await loadPolicySet(d).catch((e) => e);
    expect(err).toBeInstanceOf(PolicyFileError);
    const line = broken.split('\n').findIndex((l) => l.startsWith('flag_at:')) + 1;
    expect(err.message).toMatch(new RegExp(`^hostility\\.yaml line ${line}: flag_at: .*number`));
    expect(err.problems).toEqual([expect.objectContaining({ path: 'flag_at', line })]);
  });

  it('rejects invalid regular expressions, unknown word lists and missing examples', async () => {
    const d = await copyPolicies();
    const file = join(d, 'misinformation.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace("id: cure-claim\n    pattern: '", "id: cure-claim\n    pattern: '(unclosed"));
    expect((await loadPolicySet(d).catch((e) => e)).message).toMatch(
      /misinformation\.yaml line \d+: signals\.2\.pattern: not a valid regular expression/,
    );
    await writeFile(file, original.replace('{{conditions}}', '{{nonsense}}'));
    expect((await loadPolicySet(d).catch((e) => e)).message).toMatch(/unknown word list \{\{nonsense\}\}/);
    await writeFile(file, original.replace(/ {4}- "Turmeric cures.*\n/, ''));
    expect((await loadPolicySet(d).catch((e) => e)).message).toMatch(/examples\.flagged: give at least 10/);
  });

  it('rejects a file whose id does not match its name, and a missing policy', async () => {
    const d = await copyPolicies();
    await rm(join(d, 'self_harm.yaml'));
    expect((await loadPolicySet(d).catch((e) => e)).message).toMatch(/missing policies: self_harm/);
  });
});

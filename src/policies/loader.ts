import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { type PolicyId, policyIds } from '../moderation/types.ts';
import { type Policy, policySchema } from './schema.ts';

export const defaultPoliciesDir = fileURLToPath(new URL('../../policies', import.meta.url));

export interface PolicySet {
  /** Content hash of every policy file in force; stored on each decision. */
  version: string;
  policies: Policy[];
  byId: Map<PolicyId, Policy>;
}

export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'PolicyFileError';
  }
}

/** Loads and validates every `*.yaml` in `dir`; a broken file names the file, field and problem. */
export async function loadPolicySet(dir: string = defaultPoliciesDir): Promise<PolicySet> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const hash = createHash('sha256');
  const policies: Policy[] = [];
  for (const file of files) {
    const raw = await readFile(join(dir, file), 'utf8');
    hash.update(`${file}\0${raw}\0`);
    policies.push(parsePolicy(file, raw));
  }
  const byId = new Map(policies.map((p) => [p.id, p]));
  const missing = policyIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new PolicyFileError(dir, [`missing policies: ${missing.join(', ')}`]);
  if (byId.size !== policies.length) throw new PolicyFileError(dir, ['two files define the same policy id']);
  return { version: `ps_${hash.digest('hex').slice(0, 16)}`, policies, byId };
}

export function parsePolicy(file: string, raw: string): Policy {
  let doc: unknown;
  try {
    doc = parse(raw);
  } catch (err) {
    throw new PolicyFileError(file, [`YAML: ${(err as Error).message}`]);
  }
  const parsed = policySchema.safeParse(doc);
  if (!parsed.success) {
    throw new PolicyFileError(
      file,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const expected = basename(file).replace(/\.ya?ml$/, '');
  if (parsed.data.id !== expected) throw new PolicyFileError(file, [`id: "${parsed.data.id}" does not match the file name`]);
  return parsed.data;
}

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { type LinearModel, linearModelSchema } from '../moderation/model/linear-model.ts';
import { type PolicyId, policyIds } from '../moderation/types.ts';
import { alternation } from './alternation.ts';
import { type Policy, policySchema } from './schema.ts';

export const defaultPoliciesDir = fileURLToPath(new URL('../../policies', import.meta.url));

export interface PolicySet {
  /** Content hash of every policy file in force; stored on each decision. */
  version: string;
  policies: Policy[];
  byId: Map<PolicyId, Policy>;
  /** The trained linear model (policies/_model.json), when there is one. */
  model?: LinearModel;
}

export const MODEL_FILE = '_model.json';

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
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml') || f === MODEL_FILE).sort();
  const hash = createHash('sha256');
  const raws = new Map<string, string>();
  for (const file of files) {
    const raw = await readFile(join(dir, file), 'utf8');
    hash.update(`${file}\0${raw}\0`);
    raws.set(file, raw);
  }
  // Files starting with "_" hold shared word lists, not policies.
  const lexicons: Lexicons = {};
  for (const [file, raw] of raws) if (file.startsWith('_') && file !== MODEL_FILE) Object.assign(lexicons, parseLexicons(file, raw));
  const policies: Policy[] = [];
  for (const [file, raw] of raws) if (!file.startsWith('_')) policies.push(parsePolicy(file, raw, lexicons));
  const modelRaw = raws.get(MODEL_FILE);
  const model = modelRaw === undefined ? undefined : parseModel(modelRaw);
  const byId = new Map(policies.map((p) => [p.id, p]));
  const missing = policyIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new PolicyFileError(dir, [`missing policies: ${missing.join(', ')}`]);
  if (byId.size !== policies.length) throw new PolicyFileError(dir, ['two files define the same policy id']);
  return { version: `ps_${hash.digest('hex').slice(0, 16)}`, policies, byId, model };
}

function parseModel(raw: string): LinearModel {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new PolicyFileError(MODEL_FILE, [`JSON: ${(err as Error).message}`]);
  }
  const parsed = linearModelSchema.safeParse(json);
  if (!parsed.success)
    throw new PolicyFileError(
      MODEL_FILE,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  return parsed.data;
}

type Lexicons = Record<string, string[]>;
const lexiconsSchema = z.record(z.string().regex(/^[a-z_]+$/), z.array(z.string().min(1)).min(1));

function parseYaml(file: string, raw: string): unknown {
  try {
    return parse(raw);
  } catch (err) {
    throw new PolicyFileError(file, [`YAML: ${(err as Error).message}`]);
  }
}

function parseLexicons(file: string, raw: string): Lexicons {
  const parsed = lexiconsSchema.safeParse(parseYaml(file, raw));
  if (!parsed.success)
    throw new PolicyFileError(
      file,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  return parsed.data;
}

/** Replaces {{name}} in signal patterns with the shared word list as a regex alternation. */
function expandLexicons(file: string, doc: unknown, lexicons: Lexicons): unknown {
  const signals = (doc as { signals?: unknown })?.signals;
  if (!Array.isArray(signals)) return doc;
  const problems: string[] = [];
  const expanded = signals.map((signal: unknown, i: number) => {
    const pattern = (signal as { pattern?: unknown })?.pattern;
    if (typeof pattern !== 'string') return signal;
    const out = pattern.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
      const words = lexicons[name];
      if (!words) {
        problems.push(`signals.${i}.pattern: unknown word list {{${name}}}`);
        return '';
      }
      return alternation(words);
    });
    return { ...(signal as object), pattern: out };
  });
  if (problems.length > 0) throw new PolicyFileError(file, problems);
  return { ...(doc as object), signals: expanded };
}

export function parsePolicy(file: string, raw: string, lexicons: Lexicons = {}): Policy {
  const doc = expandLexicons(file, parseYaml(file, raw), lexicons);
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

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { readVectors, VECTORS_FILE, vectorsFileSchema } from '../moderation/claims/word-vectors.ts';
import { type Claim, compileSpeechCues, type ScorerKnowledge } from '../moderation/knowledge.ts';
import { type LinearModel, linearModelSchema } from '../moderation/model/linear-model.ts';
import { type PolicyId, policyIds } from '../moderation/types.ts';
import { alternation } from './alternation.ts';
import { claimFileSchema, type HazardEntry, hazardFileSchema, speechCuesSchema } from './knowledge-schema.ts';
import { type Policy, policySchema } from './schema.ts';

export const defaultPoliciesDir = fileURLToPath(new URL('../../policies', import.meta.url));

export interface PolicySet {
  /** Content hash of every policy file in force; stored on each decision. */
  version: string;
  policies: Policy[];
  byId: Map<PolicyId, Policy>;
  /** The trained linear model (policies/_model.json), when there is one. */
  model?: LinearModel;
  /** Speech-act cues, stop words, the claims base and the hazard lexicons the scorer uses. */
  knowledge: ScorerKnowledge;
}

export const MODEL_FILE = '_model.json';
export const SPEECH_FILE = '_speech.yaml';
/** Sub-folders of policies/ that hold knowledge: false claims, and hazard lexicons with reasons. */
export const KNOWLEDGE_DIRS = ['claims', 'knowledge'] as const;
const STOP_WORDS_LIST = 'stop_words';

/** Files starting with "_" hold shared word lists, except the model, the vectors and the speech cues. */
export function isLexiconFile(name: string): boolean {
  return name.startsWith('_') && isPolicySetFile(name) && name !== MODEL_FILE && name !== VECTORS_FILE && name !== SPEECH_FILE;
}

/** A policy file proper: one YAML file per policy at the top of the directory. */
export function isPolicyFile(name: string): boolean {
  return !name.startsWith('_') && !name.includes('/') && isPolicySetFile(name);
}

/** A hazard lexicon's name in patterns: knowledge/dangerous-remedies.yaml is {{dangerous_remedies}}. */
export function hazardLexiconName(file: string): string {
  return basename(file)
    .replace(/\.ya?ml$/, '')
    .replace(/-/g, '_');
}

/** One thing wrong with a policy file: the field (a dotted path), what is wrong, and where. */
export interface PolicyProblem {
  path: string;
  message: string;
  line?: number;
}

export class PolicyFileError extends Error {
  readonly problems: PolicyProblem[];
  constructor(
    readonly file: string,
    problems: Array<string | PolicyProblem>,
  ) {
    const structured = problems.map((p) => (typeof p === 'string' ? { path: '', message: p } : p));
    // One line a problem: "hostility.yaml line 14: signals.2.weight: Too big: expected number to be <=1".
    super(structured.map((p) => `${file}${p.line ? ` line ${p.line}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'));
    this.name = 'PolicyFileError';
    this.problems = structured;
  }
}

/** The files that make up a policy set, by name: what the version hashes and `publish` stores. */
export type PolicyFiles = Map<string, string>;

export function isPolicySetFile(name: string): boolean {
  const base = basename(name);
  const inKnowledge = KNOWLEDGE_DIRS.some((d) => name.startsWith(`${d}/`));
  if (name.includes('/') && !inKnowledge) return false;
  return base.endsWith('.yaml') || base.endsWith('.yml') || name === MODEL_FILE || name === VECTORS_FILE;
}

/** Reads the policy files of a directory, with its knowledge sub-folders (names like `claims/cancer.yaml`). */
export async function readPolicyFiles(dir: string = defaultPoliciesDir): Promise<PolicyFiles> {
  const names = (await readdir(dir)).filter(isPolicySetFile);
  for (const sub of KNOWLEDGE_DIRS) {
    const entries = await readdir(join(dir, sub)).catch(() => [] as string[]);
    names.push(...entries.map((e) => `${sub}/${e}`).filter(isPolicySetFile));
  }
  const files: PolicyFiles = new Map();
  for (const name of names.sort()) files.set(name, await readFile(join(dir, name), 'utf8'));
  return files;
}

/** Loads and validates every `*.yaml` in `dir`; a broken file names the file, field, line and problem. */
export async function loadPolicySet(dir: string = defaultPoliciesDir): Promise<PolicySet> {
  return buildPolicySet(await readPolicyFiles(dir), dir);
}

/** The content hash that names a set of policy files. */
export function policySetVersion(files: PolicyFiles): string {
  const hash = createHash('sha256');
  for (const name of [...files.keys()].sort()) hash.update(`${name}\0${files.get(name)}\0`);
  return `ps_${hash.digest('hex').slice(0, 16)}`;
}

/** Validates policy files (from a directory or from a published set) into a policy set. */
export function buildPolicySet(files: PolicyFiles, source: string): PolicySet {
  const raws = new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
  const lexicons: Lexicons = {};
  for (const [file, raw] of raws) if (isLexiconFile(file)) Object.assign(lexicons, parseLexicons(file, raw));
  const hazards = new Map<string, HazardEntry[]>();
  for (const [file, raw] of raws) if (file.startsWith('knowledge/')) hazards.set(hazardLexiconName(file), parseHazards(file, raw));
  // A hazard lexicon is also a word list for patterns, so a signal can say {{dangerous_remedies}}.
  for (const [name, entries] of hazards) lexicons[name] = entries.flatMap((e) => e.terms);
  const policies: Policy[] = [];
  for (const [file, raw] of raws) if (isPolicyFile(file)) policies.push(parsePolicy(file, raw, lexicons));
  const modelRaw = raws.get(MODEL_FILE);
  const model = modelRaw === undefined ? undefined : parseModel(modelRaw);
  const speechRaw = raws.get(SPEECH_FILE);
  if (speechRaw === undefined) throw new PolicyFileError(source, [`missing ${SPEECH_FILE} (the speech-act cues)`]);
  const claims: Claim[] = [];
  for (const [file, raw] of raws) if (file.startsWith('claims/')) claims.push(...parseClaims(file, raw));
  const duplicate = claims.find((c, i) => claims.findIndex((d) => d.id === c.id) !== i);
  if (duplicate) throw new PolicyFileError(`claims/${duplicate.topic}.yaml`, [`claim id ${duplicate.id} is used twice`]);
  const vectorsRaw = raws.get(VECTORS_FILE);
  const knowledge: ScorerKnowledge = {
    speech: compileSpeechCues(parseSpeechCues(SPEECH_FILE, speechRaw)),
    stopWords: new Set(lexicons[STOP_WORDS_LIST] ?? []),
    claims,
    hazards,
    vectors: vectorsRaw === undefined ? undefined : parseVectors(vectorsRaw),
  };
  const byId = new Map(policies.map((p) => [p.id, p]));
  const missing = policyIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new PolicyFileError(source, [`missing policies: ${missing.join(', ')}`]);
  if (byId.size !== policies.length) throw new PolicyFileError(source, ['two files define the same policy id']);
  return { version: policySetVersion(files), policies, byId, model, knowledge };
}

export function parseSpeechCues(file: string, raw: string) {
  const yaml = parseYaml(file, raw);
  const parsed = speechCuesSchema.safeParse(yaml.value);
  if (!parsed.success) throw new PolicyFileError(file, problemsOf(yaml, parsed.error.issues));
  return parsed.data;
}

export function parseClaims(file: string, raw: string): Claim[] {
  const yaml = parseYaml(file, raw);
  const parsed = claimFileSchema.safeParse(yaml.value);
  if (!parsed.success) throw new PolicyFileError(file, problemsOf(yaml, parsed.error.issues));
  const expected = basename(file).replace(/\.ya?ml$/, '');
  if (parsed.data.topic !== expected)
    throw new PolicyFileError(file, [
      { path: 'topic', message: `"${parsed.data.topic}" does not match the file name`, line: yaml.lineOf(['topic']) },
    ]);
  return parsed.data.claims.map((c) => ({ ...c, topic: parsed.data.topic }));
}

export function parseHazards(file: string, raw: string): HazardEntry[] {
  const yaml = parseYaml(file, raw);
  const parsed = hazardFileSchema.safeParse(yaml.value);
  if (!parsed.success) throw new PolicyFileError(file, problemsOf(yaml, parsed.error.issues));
  return parsed.data.entries;
}

function parseVectors(raw: string) {
  try {
    return readVectors(vectorsFileSchema.parse(JSON.parse(raw)));
  } catch (err) {
    throw new PolicyFileError(VECTORS_FILE, [(err as Error).message.split('\n')[0] ?? 'unreadable']);
  }
}

export function parseModel(raw: string): LinearModel {
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

export type Lexicons = Record<string, string[]>;
const lexiconsSchema = z.record(z.string().regex(/^[a-z_]+$/), z.array(z.string().min(1)).min(1));

interface ParsedYaml {
  value: unknown;
  /** The 1-based line where the value at a path starts (or its nearest existing parent). */
  lineOf(path: ReadonlyArray<PropertyKey>): number | undefined;
}

function parseYaml(file: string, raw: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(raw, { lineCounter });
  const [error] = doc.errors;
  if (error)
    throw new PolicyFileError(file, [{ path: '', message: `YAML: ${error.message.split('\n')[0]}`, line: error.linePos?.[0]?.line }]);
  return {
    value: doc.toJS(),
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

/** zod issues as problems with the line each points at. */
function problemsOf(yaml: ParsedYaml, issues: z.core.$ZodIssue[]): PolicyProblem[] {
  return issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message, line: yaml.lineOf(i.path) }));
}

export function parseLexicons(file: string, raw: string): Lexicons {
  const yaml = parseYaml(file, raw);
  const parsed = lexiconsSchema.safeParse(yaml.value);
  if (!parsed.success) throw new PolicyFileError(file, problemsOf(yaml, parsed.error.issues));
  return parsed.data;
}

/** Replaces {{name}} in signal patterns with the shared word list as a regex alternation. */
function expandLexicons(file: string, yaml: ParsedYaml, lexicons: Lexicons): unknown {
  const doc = yaml.value;
  const signals = (doc as { signals?: unknown })?.signals;
  if (!Array.isArray(signals)) return doc;
  const problems: PolicyProblem[] = [];
  const expanded = signals.map((signal: unknown, i: number) => {
    const pattern = (signal as { pattern?: unknown })?.pattern;
    if (typeof pattern !== 'string') return signal;
    const out = pattern.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
      const words = lexicons[name];
      if (!words) {
        problems.push({
          path: `signals.${i}.pattern`,
          message: `unknown word list {{${name}}}`,
          line: yaml.lineOf(['signals', i, 'pattern']),
        });
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
  const yaml = parseYaml(file, raw);
  const parsed = policySchema.safeParse(expandLexicons(file, yaml, lexicons));
  if (!parsed.success) throw new PolicyFileError(file, problemsOf(yaml, parsed.error.issues));
  const expected = basename(file).replace(/\.ya?ml$/, '');
  if (parsed.data.id !== expected) {
    throw new PolicyFileError(file, [
      { path: 'id', message: `"${parsed.data.id}" does not match the file name`, line: yaml.lineOf(['id']) },
    ]);
  }
  return parsed.data;
}

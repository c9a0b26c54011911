import { type PolicyId, policyIds } from '../moderation/types.ts';

export const postFormats = ['text', 'markdown', 'html'] as const;
export type PostFormat = (typeof postFormats)[number];

/** One post of a JSON Lines file in Hearth's dataset format. Fields other than these are ignored. */
export interface DatasetPost {
  /** 1-based line in the file, so reports can point back at it. */
  line: number;
  id: string;
  text: string;
  format?: PostFormat;
  labels?: PolicyId[];
}

export interface LabelledPost extends DatasetPost {
  /** The policies this post violates; empty for a clean post. */
  labels: PolicyId[];
}

export interface DatasetProblem {
  line: number;
  message: string;
}

/** Most problems a report lists; a file with more is usually the wrong file, not 500 typos. */
const shownProblems = 20;

/** A dataset that cannot be used as it is; the message lists each problem with its line. */
export class DatasetError extends Error {
  constructor(
    readonly source: string,
    readonly problems: DatasetProblem[],
  ) {
    const lines = problems
      .slice(0, shownProblems)
      .map((p) => (p.line > 0 ? `${source} line ${p.line}: ${p.message}` : `${source}: ${p.message}`));
    if (problems.length > shownProblems) lines.push(`${source}: … and ${problems.length - shownProblems} more problems`);
    super(lines.join('\n'));
    this.name = 'DatasetError';
  }
}

export interface ParseOptions {
  /**
   * Evaluation needs every post labelled with known policy ids and unique ids; scoring needs
   * only `id` and `text`, so it accepts an unlabelled file and ignores `labels`.
   */
  labelled: boolean;
}

export interface ParsedDataset<P extends DatasetPost> {
  posts: P[];
  problems: DatasetProblem[];
}

/** Parses JSON Lines in the dataset format. Blank lines are skipped; problems never throw. */
export function parseDataset(content: string, options: { labelled: true }): ParsedDataset<LabelledPost>;
export function parseDataset(content: string, options?: ParseOptions): ParsedDataset<DatasetPost>;
export function parseDataset(content: string, options: ParseOptions = { labelled: false }): ParsedDataset<DatasetPost> {
  const posts: DatasetPost[] = [];
  const problems: DatasetProblem[] = [];
  const firstLineOf = new Map<string, number>();
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const found: string[] = [];
    const post = parseLine(raw, line, options.labelled, found);
    for (const message of found) problems.push({ line, message });
    if (!post) return;
    if (options.labelled) {
      const first = firstLineOf.get(post.id);
      if (first !== undefined) {
        problems.push({ line, message: `duplicate id "${post.id}" (first on line ${first})` });
        return;
      }
      firstLineOf.set(post.id, line);
    }
    if (found.length === 0) posts.push(post);
  });
  return { posts, problems };
}

/** Like `parseDataset`, but any problem (or, for evaluation, an empty file) throws a `DatasetError`. */
export function readDataset(content: string, source: string, options: { labelled: true }): LabelledPost[];
export function readDataset(content: string, source: string, options?: ParseOptions): DatasetPost[];
export function readDataset(content: string, source: string, options: ParseOptions = { labelled: false }): DatasetPost[] {
  const { posts, problems } = parseDataset(content, options);
  if (problems.length > 0) throw new DatasetError(source, problems);
  if (options.labelled && posts.length === 0) throw new DatasetError(source, [{ line: 0, message: 'no posts' }]);
  return posts;
}

/** Returns the post when its id and text are usable (even if other fields have problems), so duplicates are still caught. */
function parseLine(raw: string, line: number, labelled: boolean, problems: string[]): DatasetPost | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    problems.push(`not valid JSON (${(err as Error).message})`);
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('expected a JSON object');
    return undefined;
  }
  const row = value as Record<string, unknown>;
  if (typeof row.id !== 'string' || row.id === '')
    problems.push(row.id === undefined ? '"id" is missing' : '"id" must be a non-empty string');
  if (typeof row.text !== 'string') problems.push(row.text === undefined ? '"text" is missing' : '"text" must be a string');
  let format: PostFormat | undefined;
  if (row.format !== undefined) {
    if (postFormats.includes(row.format as PostFormat)) format = row.format as PostFormat;
    else problems.push(`"format" must be one of ${postFormats.join(', ')}`);
  }
  const labels = labelled ? parseLabels(row.labels, problems) : undefined;
  if (typeof row.id !== 'string' || row.id === '' || typeof row.text !== 'string') return undefined;
  return { line, id: row.id, text: row.text, ...(format ? { format } : {}), ...(labels ? { labels } : {}) };
}

function parseLabels(value: unknown, problems: string[]): PolicyId[] | undefined {
  if (value === undefined) {
    problems.push('"labels" is missing (use [] for a clean post)');
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push('"labels" must be an array of policy ids');
    return undefined;
  }
  const labels: PolicyId[] = [];
  for (const label of value) {
    if (!policyIds.includes(label as PolicyId)) problems.push(`unknown label ${JSON.stringify(label)} (known: ${policyIds.join(', ')})`);
    else if (labels.includes(label as PolicyId)) problems.push(`label "${label}" is repeated`);
    else labels.push(label as PolicyId);
  }
  return labels;
}

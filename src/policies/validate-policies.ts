import {
  buildPolicySet,
  hazardLexiconName,
  isLexiconFile,
  isPolicyFile,
  type Lexicons,
  MODEL_FILE,
  PolicyFileError,
  type PolicyFiles,
  type PolicySet,
  parseClaims,
  parseHazards,
  parseLexicons,
  parseModel,
  parsePolicy,
  parseSpeechCues,
  SPEECH_FILE,
} from './loader.ts';

export interface ValidationReport {
  /** The policy set, when every file is valid. */
  set?: PolicySet;
  /** Every broken file, each with all its problems (not just the first file's). */
  errors: PolicyFileError[];
}

/**
 * Checks every file of a policy set and reports all that are broken, where loading stops at
 * the first: an author fixing several files sees every mistake in one run.
 */
export function validatePolicyFiles(files: PolicyFiles, source: string): ValidationReport {
  const errors: PolicyFileError[] = [];
  const attempt = (work: () => void) => {
    try {
      work();
    } catch (err) {
      if (!(err instanceof PolicyFileError)) throw err;
      errors.push(err);
    }
  };
  const lexicons: Lexicons = {};
  for (const [name, raw] of files) {
    if (isLexiconFile(name)) attempt(() => Object.assign(lexicons, parseLexicons(name, raw)));
    if (name.startsWith('knowledge/'))
      attempt(() => {
        lexicons[hazardLexiconName(name)] = parseHazards(name, raw).flatMap((e) => e.terms);
      });
    if (name.startsWith('claims/')) attempt(() => parseClaims(name, raw));
    if (name === SPEECH_FILE) attempt(() => parseSpeechCues(name, raw));
  }
  for (const [name, raw] of files) {
    if (isPolicyFile(name)) attempt(() => parsePolicy(name, raw, lexicons));
  }
  const model = files.get(MODEL_FILE);
  if (model !== undefined) attempt(() => parseModel(model));
  if (errors.length > 0) return { errors };
  let set: PolicySet | undefined;
  attempt(() => {
    set = buildPolicySet(files, source);
  });
  return { set, errors };
}

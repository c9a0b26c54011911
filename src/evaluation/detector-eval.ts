import { z } from 'zod';
import { type DetectorName, detectors } from '../moderation/detectors/index.ts';
import { DatasetError } from './dataset.ts';

/**
 * Measures the personal-data detectors behind `privacy_leak` on sentences annotated with
 * character spans of personal data (presidio-research's synthetic set and anything shaped
 * like it). It measures finding the data, not judging whose it is: the policy flags only
 * data about someone else, which such sets do not say.
 */

const sampleSchema = z.object({
  full_text: z.string(),
  spans: z.array(z.object({ entity_type: z.string(), start_position: z.number().int(), end_position: z.number().int() })),
});
export type AnnotatedSentence = z.infer<typeof sampleSchema>;

/** Which annotated entity type each detector is meant to find. */
export const detectorEntities: Partial<Record<DetectorName, string>> = {
  phone: 'PHONE_NUMBER',
  email: 'EMAIL_ADDRESS',
  street_address: 'STREET_ADDRESS',
  full_name: 'PERSON',
};

export interface DetectorMetrics {
  detector: DetectorName;
  entity: string;
  /** Annotated spans of the entity, and how many a detector span overlaps. */
  annotated: number;
  found: number;
  recall: number;
  /** Detector spans, and how many overlap an annotated span of the entity. */
  detected: number;
  correct: number;
  precision: number;
  /** Share of detector spans that overlap annotated personal data of any type (a card number taken for a phone number is still personal data). */
  precision_any: number;
}

/** Parses a JSON array of annotated sentences; problems name the array index. */
export function parseAnnotatedSentences(content: string, source: string): AnnotatedSentence[] {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (err) {
    throw new DatasetError(source, [{ line: 0, message: `not JSON: ${(err as Error).message}` }]);
  }
  if (!Array.isArray(data)) throw new DatasetError(source, [{ line: 0, message: 'expected a JSON array of {full_text, spans}' }]);
  const problems: Array<{ line: number; message: string }> = [];
  const samples: AnnotatedSentence[] = [];
  data.forEach((item, index) => {
    const parsed = sampleSchema.safeParse(item);
    if (parsed.success) samples.push(parsed.data);
    else problems.push({ line: 0, message: `item ${index}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` });
  });
  if (problems.length > 0) throw new DatasetError(source, problems);
  return samples;
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

export function evaluateDetectors(samples: readonly AnnotatedSentence[]): DetectorMetrics[] {
  return (Object.entries(detectorEntities) as Array<[DetectorName, string]>).map(([detector, entity]) => {
    const m = { detector, entity, annotated: 0, found: 0, recall: 0, detected: 0, correct: 0, precision: 0, precision_any: 0 };
    let personal = 0;
    for (const sample of samples) {
      const all = sample.spans.map((s) => ({ type: s.entity_type, start: s.start_position, end: s.end_position }));
      const gold = all.filter((s) => s.type === entity);
      const spans = detectors[detector](sample.full_text);
      m.annotated += gold.length;
      m.found += gold.filter((g) => spans.some((s) => overlaps(g, s))).length;
      m.detected += spans.length;
      m.correct += spans.filter((s) => gold.some((g) => overlaps(g, s))).length;
      personal += spans.filter((s) => all.some((g) => overlaps(g, s))).length;
    }
    m.precision_any = m.detected === 0 ? 0 : personal / m.detected;
    m.recall = m.annotated === 0 ? 0 : m.found / m.annotated;
    m.precision = m.detected === 0 ? 0 : m.correct / m.detected;
    return m;
  });
}

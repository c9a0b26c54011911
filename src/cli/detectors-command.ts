import { Command } from 'commander';
import { evaluateDetectors, parseAnnotatedSentences } from '../evaluation/detector-eval.ts';
import type { Cli } from './cli-io.ts';
import { readInput, sourceName } from './scoring-input.ts';

/** `hearth detectors`: recall and precision of the personal-data detectors on annotated spans. */
export function detectorsCommand(cli: Cli): Command {
  return new Command('detectors')
    .description('measure the personal-data detectors (phone, email, street address, full name) on annotated sentences')
    .requiredOption('--dataset <file>', 'a JSON array of {"full_text", "spans": [{"entity_type", "start_position", "end_position"}]}')
    .option('--json', 'print JSON instead of the table')
    .addHelpText(
      'after',
      [
        '',
        'A detector finds an annotated span when their characters overlap. This measures finding',
        'personal data; privacy_leak itself flags only data about someone else. "any PII" is the',
        'precision counting a span of any annotated personal data (a card number taken for a phone).',
        '',
        'Example:',
        '  npx hearth detectors --dataset path/to/presidio-synth-pii.json',
      ].join('\n'),
    )
    .action(async (opts: { dataset: string; json?: boolean }) => {
      const source = sourceName(opts.dataset);
      const samples = parseAnnotatedSentences(await readInput(cli, opts.dataset), source);
      const metrics = evaluateDetectors(samples);
      if (opts.json) {
        cli.stdout.write(`${JSON.stringify({ dataset: source, sentences: samples.length, detectors: metrics })}\n`);
        return;
      }
      const row = (cells: string[]) =>
        `${(cells[0] ?? '').padEnd(16)}${(cells[1] ?? '').padEnd(16)}${cells
          .slice(2)
          .map((c) => c.padStart(12))
          .join('')}`;
      const lines = [
        `${samples.length} annotated sentences from ${source}`,
        '',
        row(['detector', 'entity', 'recall', 'precision', 'any PII']),
      ];
      for (const m of metrics) {
        lines.push(row([m.detector, m.entity, m.recall.toFixed(3), m.precision.toFixed(3), m.precision_any.toFixed(3)]));
        lines.push(row(['', '', `${m.found}/${m.annotated}`, `${m.correct}/${m.detected}`]));
      }
      cli.stdout.write(`${lines.join('\n')}\n`);
    });
}

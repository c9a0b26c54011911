import type { LlmEvalSummary } from '../evaluation/llm-eval.ts';
import type { EvaluationReport, Misclassification, QueueFigures } from '../evaluation/metrics.ts';
import type { RowsDescription } from '../evaluation/splits.ts';
import { policyIds } from '../moderation/types.ts';
import { wrap } from './output.ts';

/** Terminal width the report is laid out for. */
const width = 80;

/** `hearth eval` for people: a table of figures, then every misclassified post, all within 80 columns. */
export function formatEvaluation(
  report: EvaluationReport,
  about: { source: string; policySetVersion: string; rows?: RowsDescription },
  llm?: LlmEvalSummary,
): string {
  const lines: string[] = [];
  lines.push(clip(`${report.posts} posts from ${about.source}`));
  if (about.rows) lines.push(...wrap(about.rows.note).map(clip), ...about.rows.warnings.flatMap((w) => wrap(`warning: ${w}`).map(clip)));
  lines.push(`policy set ${about.policySetVersion}`, '');
  lines.push(tableRow('policy', ['precision', 'recall', 'F1', 'queue'], ['tp', 'fp', 'fn', 'tn']));
  for (const id of policyIds) {
    const m = report.policies[id];
    lines.push(
      tableRow(
        id,
        [...[m.precision, m.recall, m.f1].map((v) => v.toFixed(3)), queueText(report.queue.policies[id])],
        [m.tp, m.fp, m.fn, m.tn ?? 0].map(String),
      ),
    );
  }
  lines.push(tableRow('macro F1', ['', '', report.macro_f1.toFixed(3)], []));
  if (report.labelled_policies.length < policyIds.length) {
    // Policies the set has no posts for can only show false positives; say what the average covers.
    const covered = report.labelled_policies.length;
    lines.push(
      tableRow(`  over ${covered} labelled polic${covered === 1 ? 'y' : 'ies'}`, ['', '', report.labelled_macro_f1.toFixed(3)], []),
    );
  }
  const overall = report.queue.overall;
  lines.push(tableRow('any harm', ['', overall.recall === null ? 'n/a' : overall.recall.toFixed(3), '', queueText(overall)], []));
  lines.push(
    '',
    ...wrap(
      `queue: share of flags that would be right if ${percent(report.queue.prevalence, 2)} of posts broke the policy (--prevalence), from recall and clean posts flagged; n/a: unmeasured`,
    ),
  );
  lines.push('');
  const clean = (what: string, n: number, rate: number) => `clean posts ${what.padEnd(10)}${n} of ${report.clean_posts} (${percent(rate)})`;
  lines.push(
    clean('flagged', report.clean_flagged, report.clean_flagged_rate),
    clean('removed', report.clean_removed, report.clean_removed_rate),
    clean('urgent', report.clean_urgent, report.clean_urgent_rate),
  );
  const { crisis } = report;
  lines.push(`crisis posts          ${crisis.urgent} of ${crisis.posts} urgent, ${crisis.removed} removed`);
  const time = report.time_per_post_ms;
  lines.push(`time per post         mean ${time.mean.toFixed(3)} ms, p95 ${time.p95.toFixed(3)} ms`);
  if (llm) {
    const failed = Object.entries(llm.failed).map(([reason, n]) => `${reason} ${n}`);
    lines.push(
      clip(
        `LLM ${llm.model}    ${llm.escalated} of ${llm.posts} posts escalated (${percent(llm.escalation_rate)}): ${llm.judged} judged, ${llm.cached} cached${failed.length > 0 ? `, failed: ${failed.join(', ')}` : ''}`,
      ),
      clip(
        `LLM tokens            ${llm.usage.prompt_tokens} in, ${llm.usage.completion_tokens} out; mean ${llm.latency_ms.mean} ms a call, max ${llm.latency_ms.max} ms`,
      ),
      clip(
        `LLM cost              $${llm.cost_per_1000_posts.toFixed(4)} per 1,000 posts at $${llm.prices_per_million_tokens.input} / $${llm.prices_per_million_tokens.output} per million tokens in / out`,
      ),
    );
  }
  lines.push(...formatMisses(report.misclassified));
  return `${lines.join('\n')}\n`;
}

/**
 * Policy name, four ratio columns (precision, recall, F1, queue precision), four count columns
 * (the confusion matrix): 22 + 4 × 9 + 4 × 5 = 78 characters.
 */
function tableRow(name: string, ratios: string[], counts: string[]): string {
  // Each cell ends at its column's right edge, so a long name ("  over 3 labelled policies")
  // eats into the empty cells after it instead of pushing a figure out of its column.
  const ends = [...ratios.map((_, i) => 22 + 9 * (i + 1)), ...counts.map((_, i) => 22 + 9 * ratios.length + 5 * (i + 1))];
  return [...ratios, ...counts].reduce((row, cell, i) => row + cell.padStart((ends[i] ?? 0) - row.length), name);
}

function queueText(figures: QueueFigures): string {
  return figures.precision === null ? 'n/a' : figures.precision.toFixed(3);
}

function formatMisses(misses: Misclassification[]): string[] {
  if (misses.length === 0) return ['', 'misclassified: none'];
  const negatives = misses.filter((m) => m.kind === 'false_negative').length;
  const lines = ['', `misclassified: ${count(negatives, 'false negative')}, ${count(misses.length - negatives, 'false positive')}`];
  const idWidth = Math.min(24, Math.max(...misses.map((m) => m.id.length)));
  const indent = ' '.repeat(idWidth + 4);
  let group = '';
  for (const miss of misses) {
    const heading = `${miss.policy}: ${miss.kind === 'false_negative' ? 'missed (false negatives)' : 'flagged wrongly (false positives)'}`;
    if (heading !== group) lines.push('', heading);
    group = heading;
    lines.push(clip(`  ${miss.id.padEnd(idWidth)}  ${miss.excerpt}`));
    lines.push(clip(`${indent}${whatFired(miss)}`));
  }
  return lines;
}

/** The scorer's side of a miss: its score and reason, and for a false positive the words it flagged. */
function whatFired(miss: Misclassification): string {
  const others = miss.labels.filter((l) => l !== miss.policy).join(', ');
  const labels = miss.kind === 'false_negative' ? others && `also labelled ${others}` : others ? `labelled ${others}` : 'clean';
  const evidence = miss.evidence.map((e) => JSON.stringify(e.text)).join(', ');
  return [labels, `score ${miss.score.toFixed(2)}`, miss.rationale, evidence].filter(Boolean).join(' · ');
}

/** Cuts a line to the report width, keeping its indentation. */
function clip(line: string): string {
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A rate as a percentage: one decimal by default; `digits` at most, without trailing zeros, for a chosen prevalence. */
function percent(rate: number, digits?: number): string {
  if (digits === undefined) return `${(rate * 100).toFixed(1)}%`;
  return `${Number((rate * 100).toFixed(digits))}%`;
}

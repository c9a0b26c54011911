import { policyIds } from '../moderation/types.ts';
import type { PolicySet } from '../policies/loader.ts';
import type { EvaluationReport, LabelledResult } from './metrics.ts';
import { type SweepRow, sweep, thresholdSteps } from './sweep.ts';

/**
 * `hearth eval --html`: one self-contained page (inline CSS and SVG, no scripts, nothing
 * fetched) with, per policy, the precision–recall curve and the score histogram by true
 * label, so a policy author sees where a threshold would cut instead of reading tables.
 */
export function renderHtmlReport(args: {
  source: string;
  policySet: PolicySet;
  report: EvaluationReport;
  results: readonly LabelledResult[];
}): string {
  const { source, policySet, report, results } = args;
  const sections = policyIds.map((policy) => {
    const metrics = report.policies[policy];
    const flagAt = policySet.byId.get(policy)?.flag_at ?? 0.5;
    const rows = sweep(results, policy, thresholdSteps(0.01));
    const scores = results.map((r) => ({
      score: r.policies.find((p) => p.policy === policy)?.score ?? 0,
      positive: r.labels.includes(policy),
    }));
    const positives = scores.filter((s) => s.positive).length;
    return `<section>
  <h2>${escapeHtml(policy)}</h2>
  <p class="figures">precision <b>${metrics.precision.toFixed(3)}</b> · recall <b>${metrics.recall.toFixed(3)}</b> · F1 <b>${metrics.f1.toFixed(3)}</b>
    · tp ${metrics.tp} · fp ${metrics.fp} · fn ${metrics.fn} · tn ${metrics.tn ?? 0} · flag_at ${flagAt}${positives === 0 ? ' · <em>no posts labelled with this policy</em>' : ''}</p>
  <div class="charts">${prCurve(rows, flagAt)}${histogram(scores, flagAt)}</div>
</section>`;
  });
  const misses = report.misclassified
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.id)}</td><td>${escapeHtml(m.policy)}</td><td>${m.kind === 'false_negative' ? 'missed' : 'flagged wrongly'}</td><td>${m.score.toFixed(2)}</td><td>${escapeHtml(m.excerpt)}</td><td>${escapeHtml(m.rationale)}${m.evidence.length > 0 ? ` · ${m.evidence.map((e) => `<mark>${escapeHtml(e.text)}</mark>`).join(' ')}` : ''}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hearth eval: ${escapeHtml(source)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2430;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin:1.6rem 0 .2rem}
.figures{margin:.2rem 0 .6rem;color:#3b4656}.charts{display:flex;gap:1.5rem;flex-wrap:wrap}
svg{background:#fafbfc;border:1px solid #e3e7ee;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #e3e7ee;padding:.3rem .4rem;text-align:left;vertical-align:top}
mark{background:#ffe8a3}.legend{font-size:12px;fill:#3b4656}
</style></head><body>
<h1>Hearth eval: ${escapeHtml(source)}</h1>
<p>${report.posts} posts · policy set ${escapeHtml(policySet.version)} · macro F1 <b>${report.macro_f1.toFixed(3)}</b>
 · clean posts flagged ${report.clean_flagged} of ${report.clean_posts} (${(report.clean_flagged_rate * 100).toFixed(1)}%)
 · crisis posts ${report.crisis.urgent} of ${report.crisis.posts} urgent, ${report.crisis.removed} removed
 · ${report.time_per_post_ms.mean.toFixed(3)} ms a post (p95 ${report.time_per_post_ms.p95.toFixed(3)})</p>
${sections.join('\n')}
<h2>Misclassified posts (${report.misclassified.length})</h2>
<table><thead><tr><th>id</th><th>policy</th><th>what</th><th>score</th><th>post</th><th>why</th></tr></thead><tbody>
${misses}
</tbody></table>
</body></html>
`;
}

const W = 320;
const H = 240;
const PAD = 36;
const x = (v: number) => PAD + v * (W - PAD - 12);
const y = (v: number) => H - PAD - v * (H - PAD - 14);

/** Axes from 0 to 1 on both sides; `yTick` labels the y ticks at 0, 0.5 and 1. */
function axes(xLabel: string, yLabel: string, yTick: (t: number) => string = String): string {
  const ticks = [0, 0.5, 1]
    .map(
      (t) =>
        `<text class="legend" x="${x(t)}" y="${H - PAD + 14}" text-anchor="middle">${t}</text><text class="legend" x="${PAD - 6}" y="${y(t) + 4}" text-anchor="end">${yTick(t)}</text>`,
    )
    .join('');
  return `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}" stroke="#9aa5b4"/><line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}" stroke="#9aa5b4"/>${ticks}
<text class="legend" x="${x(0.5)}" y="${H - 4}" text-anchor="middle">${xLabel}</text><text class="legend" x="10" y="${y(0.5)}" transform="rotate(-90 10 ${y(0.5)})" text-anchor="middle">${yLabel}</text>`;
}

/** Recall on x, precision on y, one point per threshold; the current flag_at is marked. */
function prCurve(rows: readonly SweepRow[], flagAt: number): string {
  const points = rows.filter((r) => r.tp + r.fp > 0);
  const path = points.map((r) => `${x(r.recall).toFixed(1)},${y(r.precision).toFixed(1)}`).join(' ');
  const now = rows.reduce(
    (best, r) => (Math.abs(r.threshold - flagAt) < Math.abs(best.threshold - flagAt) ? r : best),
    rows[0] as SweepRow,
  );
  const marker =
    now && now.tp + now.fp > 0
      ? `<circle cx="${x(now.recall)}" cy="${y(now.precision)}" r="4.5" fill="#d9480f"/><text class="legend" x="${x(now.recall) - 6}" y="${y(now.precision) + (now.precision > 0.8 ? 16 : -8)}" text-anchor="end">flag_at ${flagAt}</text>`
      : '';
  return `<svg role="img" aria-label="precision-recall curve" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${axes('recall', 'precision')}
<polyline fill="none" stroke="#1c7ed6" stroke-width="2" points="${path}"/>${marker}</svg>`;
}

/**
 * Twenty score bins, posts without and with the label side by side; a line at flag_at. Bar
 * heights follow the square root of the count: most posts score near 0, and a linear scale
 * would flatten the bins where the decisions are made.
 */
function histogram(scores: ReadonlyArray<{ score: number; positive: boolean }>, flagAt: number): string {
  const bins = 20;
  const counts = Array.from({ length: bins }, () => ({ positive: 0, negative: 0 }));
  for (const { score, positive } of scores) {
    const bin = counts[Math.min(bins - 1, Math.floor(score * bins))] as { positive: number; negative: number };
    if (positive) bin.positive++;
    else bin.negative++;
  }
  const max = Math.max(1, ...counts.map((c) => Math.max(c.positive, c.negative)));
  const height = (n: number) => Math.sqrt(n / max);
  const width = (x(1) - x(0)) / bins;
  const bars = counts
    .map((c, i) => {
      const left = x(i / bins);
      const bar = (n: number, offset: number, colour: string) =>
        n === 0
          ? ''
          : `<rect x="${(left + offset).toFixed(1)}" y="${y(height(n)).toFixed(1)}" width="${(width / 2 - 1).toFixed(1)}" height="${(y(0) - y(height(n))).toFixed(1)}" fill="${colour}"><title>${n}</title></rect>`;
      return bar(c.negative, 0, '#adb5bd') + bar(c.positive, width / 2, '#e8590c');
    })
    .join('');
  return `<svg role="img" aria-label="score histogram by true label" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${axes('score', 'posts (square-root scale)', (t) => String(Math.round(t * t * max)))}${bars}
<line x1="${x(flagAt)}" y1="${y(0)}" x2="${x(flagAt)}" y2="${y(1)}" stroke="#d9480f" stroke-dasharray="4 3"/>
<rect x="${W - 120}" y="8" width="10" height="10" fill="#adb5bd"/><text class="legend" x="${W - 106}" y="17">not labelled</text>
<rect x="${W - 120}" y="22" width="10" height="10" fill="#e8590c"/><text class="legend" x="${W - 106}" y="31">labelled</text></svg>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

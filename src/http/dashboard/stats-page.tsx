/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { FC } from 'hono/jsx';
import type { SignedIn } from '../../auth/dashboard-sessions.ts';
import { actionOrder, policyIds } from '../../moderation/types.ts';
import type { DayVolume } from '../../stats/daily-volume.ts';
import type { ForumStats } from '../../stats/forum-stats.ts';
import { BarChart, DayChart } from './charts.tsx';
import { Layout } from './layout.tsx';

export const RANGES = { '7': 7, '30': 30, '90': 90 } as const;

function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

interface StatsPageProps {
  nonce: string;
  signedIn: SignedIn;
  stats: ForumStats;
  days: DayVolume[];
  forums: string[];
  forumId?: string;
  range: keyof typeof RANGES;
}

/** Figures for the forums a key sees, drawn as server-side SVG charts. */
export const StatsPage: FC<StatsPageProps> = ({ nonce, signedIn, stats, days, forums, forumId, range }) => (
  <Layout title="Stats" nonce={nonce} signedIn={signedIn} section="stats">
    <h1>Stats</h1>
    <form method="get" action="/dashboard/stats" class="filters" aria-label="Choose forum and period">
      <label>
        Forum
        <select name="forum_id">
          <option value="">all my forums</option>
          {forums.map((f) => (
            <option value={f} selected={forumId === f}>
              {f}
            </option>
          ))}
        </select>
      </label>
      <label>
        Period
        <select name="days">
          {Object.keys(RANGES).map((r) => (
            <option value={r} selected={r === range}>
              last {r} days
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Show</button>
    </form>
    <div class="figures">
      <div>
        <strong>{stats.volume.decisions}</strong> decisions ({stats.volume.posts} posts)
      </div>
      <div>
        <strong>{stats.volume.urgent}</strong> urgent
      </div>
      <div>
        <strong>{stats.review_backlog.count}</strong> awaiting review now, oldest{' '}
        {stats.review_backlog.oldest_age_seconds === null ? '—' : duration(stats.review_backlog.oldest_age_seconds * 1000)}
      </div>
      <div>
        <strong>{duration(stats.latency_ms.post_to_verdict.median)}</strong> post to verdict (median; p95{' '}
        {duration(stats.latency_ms.post_to_verdict.p95)})
      </div>
      <div>
        <strong>{duration(stats.latency_ms.verdict_to_review.median)}</strong> verdict to first review (median; p95{' '}
        {duration(stats.latency_ms.verdict_to_review.p95)})
      </div>
    </div>
    <DayChart title="Decisions per day (darker: not allowed)" days={days} />
    <BarChart title="Actions" bars={actionOrder.map((a) => ({ label: a, value: stats.actions[a] }))} />
    <BarChart title="Flags per policy" bars={policyIds.map((p) => ({ label: p, value: stats.flags[p] }))} />
    <BarChart
      title="Moderator agreement per policy (confirmed of reviewed)"
      max={1}
      bars={policyIds.map((p) => {
        const a = stats.agreement[p];
        return {
          label: p,
          value: a.rate ?? 0,
          text: a.rate === null ? 'no reviews' : `${Math.round(a.rate * 100)}% (${a.confirmed}/${a.reviewed})`,
        };
      })}
    />
  </Layout>
);

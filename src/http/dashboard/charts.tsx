/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Also in tsconfig.json; said here so the pages render however tsx finds, or misses, the config.)
import type { FC } from 'hono/jsx';

export interface Bar {
  label: string;
  value: number;
  /** Shown at the bar's end instead of the bare value (a rate, a count with its share). */
  text?: string;
}

/**
 * A horizontal bar chart drawn as SVG on the server: no script, no chart library, nothing
 * from another host. Screen readers get the figures as the image's label.
 */
export const BarChart: FC<{ title: string; bars: Bar[]; max?: number }> = ({ title, bars, max }) => {
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const row = 26;
  const labelWidth = 190;
  const barWidth = 300;
  const height = bars.length * row + 4;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${labelWidth + barWidth + 90} ${height}`}
        width="100%"
        role="img"
        aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.text ?? b.value}`).join(', ')}`}
      >
        {bars.map((b, i) => (
          <g>
            <text x="0" y={i * row + 17}>
              {b.label}
            </text>
            <rect
              class="bar"
              x={labelWidth}
              y={i * row + 4}
              width={Math.max(b.value > 0 ? 1 : 0, (b.value / top) * barWidth)}
              height={row - 8}
            />
            <text x={labelWidth + (b.value / top) * barWidth + 6} y={i * row + 17}>
              {b.text ?? String(b.value)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
};

/** Columns over days: decisions per day, with the actioned part darker. */
export const DayChart: FC<{ title: string; days: Array<{ day: string; decisions: number; actioned: number }> }> = ({ title, days }) => {
  const top = Math.max(1, ...days.map((d) => d.decisions));
  const width = 600;
  const height = 160;
  const step = width / Math.max(1, days.length);
  const scale = (n: number) => (n / top) * (height - 30);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        role="img"
        aria-label={`${title}: ${days.map((d) => `${d.day} ${d.decisions} (${d.actioned} not allowed)`).join(', ')}`}
      >
        <line class="axis" x1="0" y1={height - 20} x2={width} y2={height - 20} />
        {days.map((d, i) => (
          <g>
            <rect
              class="bar"
              x={i * step + 1}
              y={height - 20 - scale(d.decisions)}
              width={Math.max(1, step - 2)}
              height={scale(d.decisions)}
            />
            <rect
              class="bar-actioned"
              x={i * step + 1}
              y={height - 20 - scale(d.actioned)}
              width={Math.max(1, step - 2)}
              height={scale(d.actioned)}
            />
          </g>
        ))}
        <text x="0" y={height - 4}>
          {days[0]?.day ?? ''}
        </text>
        <text x={width} y={height - 4} text-anchor="end">
          {days[days.length - 1]?.day ?? ''}
        </text>
        <text x="0" y="12">
          {`max ${top}/day`}
        </text>
      </svg>
    </figure>
  );
};

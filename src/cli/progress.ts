import type { CliOutput } from './cli-io.ts';

/** A progress bar on standard error, drawn only when it is a terminal: pipes and CI stay quiet. */
export interface Progress {
  tick(n?: number): void;
  done(): void;
}

const BAR_WIDTH = 30;
const REDRAW_MS = 100;

export function progress(stream: CliOutput, total: number, label: string): Progress {
  if (!stream.isTTY || total === 0) return { tick() {}, done() {} };
  let count = 0;
  let drawnAt = 0;
  const draw = () => {
    const filled = Math.round((count / total) * BAR_WIDTH);
    // Fits 80 columns: 30 for the bar, the rest for counts and a short label.
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${count}/${total} ${label}`.slice(0, 79));
    drawnAt = Date.now();
  };
  return {
    tick(n = 1) {
      count += n;
      if (Date.now() - drawnAt >= REDRAW_MS || count >= total) draw();
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}

/** The timing loop the CPU benchmarks share (bench:scorer, bench:crisis-check). */

export interface Timing {
  /** Milliseconds. */
  median: number;
  /** Milliseconds. */
  p99: number;
  postsPerSecond: number;
}

export function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const total = samples.reduce((a, b) => a + b, 0);
  return { median: at(0.5), p99: at(0.99), postsPerSecond: (samples.length / total) * 1000 };
}

/**
 * Times `work` once per iteration, cycling through the posts. `work` returns a number, summed
 * into `sink` for the caller to print, so the work cannot be optimised away.
 */
export function time(posts: string[], iterations: number, work: (text: string) => number): { samples: number[]; sink: number } {
  const samples: number[] = new Array(iterations);
  let sink = 0;
  for (let i = 0; i < iterations; i++) {
    const text = posts[i % posts.length] as string;
    const started = performance.now();
    sink += work(text);
    samples[i] = performance.now() - started;
  }
  return { samples, sink };
}

const floorRegex = /\bpain\b/;
/** What merely touching the text costs: lower-case it and test one trivial regex. */
export const floor = (text: string) => (floorRegex.test(text.toLowerCase()) ? 1 : 0);

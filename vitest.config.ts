import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // tests/e2e (real service processes, outages) runs on its own: vitest.e2e.config.ts.
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    // Each fork runs its files one after another in one module graph instead of importing the
    // app again for every file, which was half the suite's CPU time. Safe because nothing in
    // src/ keeps state at module level (STYLE.md); every file still gets its own database and
    // queue prefix.
    isolate: false,
    // Loading the policies, training or scoring a data set is pure CPU and takes several times
    // longer with both cores busy; at 30 s such tests failed on a loaded machine with nothing
    // stuck. Waits for background work have bounds of their own (eventually, waitForCalls).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests share two cores with PostgreSQL and Redis; more forks only thrash.
    maxWorkers: 3,
  },
});

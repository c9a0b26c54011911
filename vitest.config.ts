import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // tests/e2e (real service processes, outages) runs on its own: vitest.e2e.config.ts.
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share two cores with PostgreSQL and Redis; more forks only thrash.
    maxWorkers: 3,
  },
});

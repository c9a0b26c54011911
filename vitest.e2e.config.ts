import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:e2e`: suites that start processes of their own (workers killed mid-job, the
 * service stopped with SIGTERM) or take a server away (Redis, PostgreSQL). CI runs them after
 * `npm test`.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['tests/e2e/**/*.test.ts'],
    // A child process starting node and tsx on a busy machine can take most of the default.
    testTimeout: 120_000,
    maxWorkers: 2,
  },
});

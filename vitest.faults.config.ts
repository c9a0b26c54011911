import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:faults`: the fault suite (tests/faults): thousands of fuzzed requests to every
 * route, and faults of the servers under real processes. It prints its figures and takes longer
 * than `npm test` should, so it runs on its own.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['tests/faults/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});

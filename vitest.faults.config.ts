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
    // The outage suite takes about 5 minutes on an idle 2-core machine, far longer on a busy one.
    testTimeout: 1_500_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});

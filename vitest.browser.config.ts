import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:browser`: the dashboard driven in the system's Chromium (Debian's `chromium`
 * package; browser builds cannot be downloaded here) through playwright-core. Screenshots go to
 * tests/browser/artifacts/, which git ignores.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['tests/browser/**/*.test.ts'],
    testTimeout: 120_000,
    maxWorkers: 1,
  },
});

import { defineConfig } from 'vitest/config'

/**
 * `npm run test:e2e`: the learner page and /docs in Chromium (playwright-core, Debian's
 * /usr/bin/chromium), against `wrangler dev` and the local endpoint, which e2e/global-setup.ts
 * starts. Plain Node tests: the Worker under test runs in wrangler dev, as it does for a developer.
 */
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['./e2e/global-setup.ts'],
    // One stack for the run; each test opens its own browser context, so its own learner.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Under CI, also a JSON report, from which .ci/run prints plain totals.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.local/vitest-e2e-report.json' },
  },
})

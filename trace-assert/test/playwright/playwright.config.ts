/**
 * Runs the fixture self-test (`*.pw.ts`) in the real Playwright runner; driven
 * by ../fixtures.test.ts, which supplies a fake Jaeger and reads the JSON report.
 */
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '@tracing-demo/stack/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '*.pw.ts',
  outputDir: process.env.TRACE_ASSERT_PW_OUTPUT || 'test-results',
  // json for the driver's checks; list shows, in the driver's output, what a person sees.
  reporter: [['json', { outputFile: process.env.TRACE_ASSERT_PW_REPORT || 'report.json' }], ['list']],
  workers: 1,
  retries: 0,
  timeout: 20_000,
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
  },
});

/**
 * Runs the fixture self-test (`*.pw.ts`) in the real Playwright runner; driven
 * by ../fixtures.test.ts, which supplies a fake Jaeger and reads the JSON report.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.pw.ts',
  outputDir: process.env.TRACE_ASSERT_PW_OUTPUT || 'test-results',
  reporter: [['json', { outputFile: process.env.TRACE_ASSERT_PW_REPORT || 'report.json' }]],
  workers: 1,
  retries: 0,
  timeout: 20_000,
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    },
  },
});

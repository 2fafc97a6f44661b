import { defineConfig, devices } from '@playwright/test';
import { loadStackConfig } from '@tracing-demo/stack';
import { chromiumLaunchOptions } from '@tracing-demo/stack/chromium';

const config = loadStackConfig();
const isCI = !!process.env.CI;

// Debian's chromium with the flags it needs here (stack/src/chromium.ts).
const chromium = { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() };

export default defineConfig({
  testDir: './e2e',
  // Every spec works on its own trace ids, so tests can run in parallel.
  fullyParallel: true,
  forbidOnly: isCI,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never' }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: config.web.url,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // The trace scenarios against the shared stack below (issue "Trace assertions").
    { name: 'traces', testIgnore: 'faults/**', use: chromium },
    // Faults and exposure: each spec drives a private stack of its own on other
    // ports (e2e/faults/own-stack.ts: the same supervisor), stopping, killing
    // and restarting its processes without disturbing the shared one.
    { name: 'faults', testMatch: 'faults/**/*.spec.ts', use: chromium },
  ],
  // The shared stack of the `traces` project: started through the supervisor
  // (e2e/global-setup.ts), reused when already running, except on CI.
  globalSetup: './e2e/global-setup.ts',
});

import { defineConfig, devices } from '@playwright/test';
import { loadStackConfig } from '@tracing-demo/stack';
import { chromiumLaunchOptions } from '@tracing-demo/stack/chromium';
import { stackProcesses } from '@tracing-demo/stack/processes';

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
    // Faults and exposure: each spec starts, kills and restarts its own private
    // stack on other ports (e2e/faults/own-stack.ts), so it cannot disturb the
    // shared one.
    { name: 'faults', testMatch: 'faults/**/*.spec.ts', use: chromium },
  ],
  // Started in this order, each once the previous one is healthy; reused when
  // already running (e.g. `npm start` in another terminal), except on CI.
  webServer: stackProcesses(config, { webMode: 'preview' }).map((proc) => ({
    name: proc.name,
    command: proc.command,
    cwd: proc.cwd,
    env: proc.env,
    url: proc.healthUrl,
    reuseExistingServer: !isCI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  })),
});

import { defineConfig, devices } from '@playwright/test';
import { loadStackConfig } from '@tracing-demo/stack';
import { chromiumLaunchOptions } from '@tracing-demo/stack/chromium';
import type { TestTracingOptions, TestTracingWorkerOptions } from '@tracing-demo/trace-assert';

const config = loadStackConfig();
const isCI = !!process.env.CI;
/** `npm run test:compose`: the same specs against the containers of compose.yaml (e2e/compose-stack.ts). */
const isCompose = process.env.E2E_STACK === 'compose';
const COMPOSE_SPECS = /[\\/]e2e[\\/]compose[\\/][^\\/]+\.spec\.ts$/;
/** Only against compose's gateway profile (STACK_TOPOLOGY=gateway): docker/compose.mjs runs it second. */
const COMPOSE_GATEWAY_SPEC = /[\\/]e2e[\\/]compose[\\/]gateway\.spec\.ts$/;
const composeReport = `playwright-report/compose${config.topology === 'gateway' ? '-gateway' : ''}`;
/**
 * Test runs as traces (trace-assert's `testTracing`, docs/test-tracing.md):
 * each test of the `traces` project is a span of service `e2e`, the parent of
 * the page's user actions. E2E_TEST_TRACING=off runs the project without it.
 */
const testTracing = process.env.E2E_TEST_TRACING !== 'off';

// Debian's chromium with the flags it needs here (stack/src/chromium.ts).
const chromium = { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() };

export default defineConfig<TestTracingOptions, TestTracingWorkerOptions>({
  testDir: './e2e',
  // Every spec works on its own trace ids, so tests can run in parallel.
  fullyParallel: true,
  forbidOnly: isCI,
  retries: 0,
  // The compose run keeps its own report beside the native one.
  reporter: [['list'], ['html', { open: 'never', outputFolder: isCompose ? composeReport : undefined }]],
  metadata: { stack: isCompose ? 'compose.yaml (docker compose)' : 'native (stack/src/supervisor.ts)' },
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: config.web.url,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Where test spans go when a project turns test tracing on: the stack's Collector.
    testTracingEndpoint: config.collector.httpTracesUrl,
  },
  projects: [
    // The trace scenarios against the shared stack below (issue "Trace assertions").
    // (A RegExp for e2e/compose/: Playwright matches globs against whole paths,
    // and 'compose/**' would match every file of a checkout in a folder named compose.)
    { name: 'traces', testIgnore: ['faults/**', COMPOSE_SPECS], use: { ...chromium, testTracing } },
    ...(isCompose
      ? [
          // Only under `npm run test:compose`: checks of the containers
          // themselves (health, users, volumes, signals, headers, ports,
          // memory), after the trace specs, since some restart or stop containers.
          {
            name: 'compose',
            testMatch: COMPOSE_SPECS,
            testIgnore: COMPOSE_GATEWAY_SPEC,
            dependencies: ['traces'],
            use: chromium,
          },
          // The gateway profile (docker/compose.mjs's second run): its own spec only.
          { name: 'compose-gateway', testMatch: COMPOSE_GATEWAY_SPEC, use: chromium },
        ]
      : [
          // Faults and exposure: each spec drives a private stack of its own on other
          // ports (e2e/faults/own-stack.ts: the same supervisor), stopping, killing
          // and restarting its processes without disturbing the shared one.
          { name: 'faults', testMatch: 'faults/**/*.spec.ts', use: chromium },
        ]),
  ],
  // The shared stack of the `traces` project: started through the supervisor
  // (e2e/global-setup.ts), reused when already running, except on CI; with
  // E2E_STACK=compose, the containers docker/compose.mjs started.
  globalSetup: './e2e/global-setup.ts',
});

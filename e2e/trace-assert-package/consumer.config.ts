/**
 * The Playwright config of the throwaway project that
 * e2e/trace-assert-package.spec.ts installs the packed trace-assert into
 * (copied there as playwright.config.ts). Everything about the stack comes in
 * through the environment, as it would in a user's own project.
 */
import { defineConfig } from '@playwright/test';
import type {
  TestTracingOptions,
  TestTracingWorkerOptions,
  TraceTestOptions,
} from '@tracing-demo/trace-assert';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export default defineConfig<TraceTestOptions & TestTracingOptions, TestTracingWorkerOptions>({
  testMatch: 'consumer.pw.ts',
  reporter: [['list'], ['json', { outputFile: 'report.json' }]],
  workers: 1,
  retries: 0,
  use: {
    jaegerUrl: env('JAEGER_URL'),
    testTracing: true,
    testTracingEndpoint: env('OTLP_TRACES_URL'),
    browserName: 'chromium',
    // The browser the workspace's own specs use (the `page` of traceTest's browser error check).
    launchOptions: JSON.parse(env('CHROMIUM_LAUNCH_OPTIONS')) as { executablePath: string; args: string[] },
  },
});

/**
 * Playwright fixtures for trace tests:
 *
 * - `traces`: `waitFor(traceId, selectors)` bound to the trace source; every
 *   trace it saw is attached to the report (raw JSON + waterfall), also when
 *   the test failed, which is precisely when someone will want to read it.
 * - `browserErrors`: the console errors and uncaught errors of the test's
 *   `page`, which fail the test at teardown, because a page that threw while
 *   the test still passed usually produced a broken or partial trace. Every
 *   test that uses `page` is watched; one that never opens it opens no page.
 * - `testSpan` (auto, opt-in with `testTracing: true`): the test as a span,
 *   its context handed to the page; see test-tracing.ts.
 */
import { test as base } from '@playwright/test';
import type { ConsoleMessage } from '@playwright/test';
import { jaegerSource } from './jaeger.ts';
import type { Trace } from './model.ts';
import type { FetchTraceResult, TraceSource } from './source.ts';
import { TraceTimeoutError, waitForTrace } from './wait.ts';
import type { ExpectedSpan, WaitForTraceResult, WaitSettings } from './wait.ts';
import { renderWaterfall } from './waterfall.ts';
import { testTracingFixtures } from './test-tracing.ts';
import type { TestTracingFixtures, TestTracingOptions, TestTracingWorker } from './test-tracing.ts';

export interface TraceRecorder {
  /** Where traces are read from: the `traceSource` option. */
  readonly source: TraceSource;
  /** `waitForTrace` against the source; the trace is attached to the report after the test. */
  waitFor(
    traceId: string,
    expect: readonly ExpectedSpan[],
    options?: WaitSettings,
  ): Promise<WaitForTraceResult>;
  /** One read of the trace from the source (undefined while it is not there); attached too. */
  fetch(traceId: string): Promise<FetchTraceResult | undefined>;
}

export interface BrowserError {
  kind: 'console' | 'pageerror';
  text: string;
  /** `url:line:column` for console messages, when known. */
  location?: string;
}

export interface BrowserErrors {
  readonly errors: readonly BrowserError[];
  /** Declares an expected error (substring or RegExp) so teardown does not fail on it. */
  allow(pattern: string | RegExp): void;
}

export interface TraceTestOptions {
  /** Jaeger UI/query base URL, for the default `traceSource`. Default: env `JAEGER_URL`, else `http://127.0.0.1:16686`. */
  jaegerUrl: string;
  /** Where traces are read from. Default: `jaegerSource(jaegerUrl)`. Set it with `test.use({ traceSource })`. */
  traceSource: TraceSource;
  /** Browser errors every test of the project tolerates (substring or RegExp). Default none. */
  allowedBrowserErrors: (string | RegExp)[];
}

export interface TraceTestFixtures {
  traces: TraceRecorder;
  browserErrors: BrowserErrors;
}

/** What the `page` fixture needs of `browserErrors` besides the public part. */
interface WatchedBrowserErrors extends BrowserErrors {
  record(error: BrowserError): void;
  unexpected(): BrowserError[];
}

function errorMatches(error: BrowserError, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? error.text.includes(pattern) : pattern.test(error.text);
}

/** Attachment names may not contain path separators in every reporter; trace ids never do. */
function attachmentName(traceId: string, ext: string): string {
  return `trace ${traceId}.${ext}`;
}

/** Playwright `test` with the `traces`, `browserErrors` and `testSpan` fixtures and their options. */
export const traceTest = base
  .extend<TraceTestOptions & TraceTestFixtures>({
    jaegerUrl: [process.env.JAEGER_URL || 'http://127.0.0.1:16686', { option: true }],
    allowedBrowserErrors: [[], { option: true }],
    traceSource: [async ({ jaegerUrl }, use) => use(jaegerSource(jaegerUrl)), { option: true }],

    traces: async ({ traceSource: source }, use, testInfo) => {
      // Latest version per trace id: a later fetch is the more complete one.
      const seen = new Map<string, { trace: Trace; raw: unknown }>();
      const remember = (result: { trace: Trace; raw: unknown } | undefined): void => {
        if (result) seen.set(result.trace.traceId, { trace: result.trace, raw: result.raw });
      };
      const recorder: TraceRecorder = {
        source,
        async waitFor(traceId, expect, options = {}) {
          try {
            const result = await waitForTrace({ ...options, source, traceId, expect });
            remember(result);
            return result;
          } catch (error) {
            // The partial trace is the most useful attachment of all.
            if (error instanceof TraceTimeoutError && error.trace)
              remember({ trace: error.trace, raw: error.raw });
            throw error;
          }
        },
        async fetch(traceId) {
          const result = await source.fetchTrace(traceId);
          remember(result);
          return result;
        },
      };

      await use(recorder);

      for (const [traceId, { trace, raw }] of seen) {
        await testInfo.attach(attachmentName(traceId, 'json'), {
          body: JSON.stringify(raw, null, 2),
          contentType: 'application/json',
        });
        await testInfo.attach(attachmentName(traceId, 'txt'), {
          body: renderWaterfall(trace, { link: source.traceLink?.(traceId) }),
          contentType: 'text/plain',
        });
      }
    },

    browserErrors: async ({ allowedBrowserErrors }, use) => {
      const errors: BrowserError[] = [];
      const allowed: (string | RegExp)[] = [...allowedBrowserErrors];
      const browserErrors: WatchedBrowserErrors = {
        errors,
        allow: (pattern) => {
          allowed.push(pattern);
        },
        record: (error) => {
          errors.push(error);
        },
        unexpected: () => errors.filter((e) => !allowed.some((p) => errorMatches(e, p))),
      };
      await use(browserErrors);
    },

    // The watch is on the page, not an auto fixture: an auto fixture that
    // needs `page` would open a browser page for every test, API-only ones
    // included. Every test that uses the page (itself, or through a fixture
    // such as a page object) is watched.
    page: async ({ page, browserErrors }, use) => {
      const watched = browserErrors as WatchedBrowserErrors;
      const onConsole = (msg: ConsoleMessage): void => {
        if (msg.type() !== 'error') return;
        const { url, lineNumber, columnNumber } = msg.location();
        const error: BrowserError = { kind: 'console', text: msg.text() };
        if (url) error.location = `${url}:${lineNumber}:${columnNumber}`;
        watched.record(error);
      };
      const onPageError = (err: Error): void => {
        watched.record({ kind: 'pageerror', text: err.stack ?? `${err.name}: ${err.message}` });
      };
      page.on('console', onConsole);
      page.on('pageerror', onPageError);

      await use(page);

      page.off('console', onConsole);
      page.off('pageerror', onPageError);
      const unexpected = watched.unexpected();
      if (unexpected.length > 0) {
        const list = unexpected
          .map((e) => `  - [${e.kind}] ${e.text}${e.location ? ` (at ${e.location})` : ''}`)
          .join('\n');
        throw new Error(
          `The page logged ${unexpected.length} unexpected error(s):\n${list}\n` +
            'Fix them, or declare expected ones with browserErrors.allow(…) or the allowedBrowserErrors option.',
        );
      }
    },
  })
  .extend<TestTracingOptions & TestTracingFixtures, TestTracingWorker>(testTracingFixtures);

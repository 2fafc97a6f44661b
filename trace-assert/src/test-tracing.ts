/**
 * Test runs as traces (opt-in: the option `testTracing: true`, per test,
 * describe block or project). Each test gets a span (`service.name` `e2e`;
 * see test-span.ts for its attributes and status), exported over OTLP/HTTP
 * (test-tracer.ts), and hands its context to the pages of its browser context
 * as `<meta name="traceparent">` (page-trace-context.ts): an app that
 * continues that meta makes its user actions children of the test span, and
 * the whole run of the test reads as one trace. The app's own `traceparent`
 * headers are never touched.
 *
 * A test that fails gets an attachment `e2e trace` saying `trace <id>: <link>`
 * (the trace source's link); Playwright's list and line reporters print
 * text attachments under the failure, and the HTML report shows it.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type {
  Fixtures,
  PlaywrightTestArgs,
  PlaywrightTestOptions,
  PlaywrightWorkerArgs,
  PlaywrightWorkerOptions,
} from '@playwright/test';
import { traceparentMetaScript } from './page-trace-context.ts';
import { testOutcome } from './test-span.ts';
import type { TraceSource } from './source.ts';
import { otlpTracesUrl, TestTracer } from './test-tracer.ts';

/** The running test's span, as the page and the assertions need it. */
export interface TestSpanContext {
  traceId: string;
  spanId: string;
  /** `00-<traceId>-<spanId>-01`, the value of the page's traceparent meta. */
  traceparent: string;
}

export interface TestTracingOptions {
  /** Give each test a span and hand its context to the page. Default false. */
  testTracing: boolean;
}

export interface TestTracingWorkerOptions {
  /**
   * OTLP/HTTP traces URL of the Collector, e.g. `http://127.0.0.1:4318/v1/traces`.
   * Default: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT`
   * plus `/v1/traces`, else `http://localhost:4318/v1/traces`.
   */
  testTracingEndpoint: string | undefined;
}

export interface TestTracingFixtures {
  /** The test's span when `testTracing` is on, else undefined. */
  testSpan: TestSpanContext | undefined;
}

export interface TestTracingWorkerFixtures {
  testTracer: { get(): TestTracer };
}

/** The worker-scoped options and fixtures of test tracing. */
export type TestTracingWorker = TestTracingWorkerOptions & TestTracingWorkerFixtures;

/** The name of the attachment a failing test gets. */
export const TRACE_ATTACHMENT = 'e2e trace';
/** The annotation type every traced test gets: `<traceId> <link>` (`<traceId> in <source>` without a link). */
export const TRACE_ANNOTATION = 'e2e-trace';

/** The fixtures of test tracing; `traceTest` (fixtures.ts) includes them. */
export const testTracingFixtures: Fixtures<
  TestTracingOptions & TestTracingFixtures,
  TestTracingWorker,
  PlaywrightTestArgs & PlaywrightTestOptions & { traceSource: TraceSource },
  PlaywrightWorkerArgs & PlaywrightWorkerOptions
> = {
  testTracing: [false, { option: true }],
  testTracingEndpoint: [undefined, { option: true, scope: 'worker' }],

  // One provider per worker, made when the first traced test needs it, and
  // flushed (bounded) when the worker ends.
  testTracer: [
    async ({ testTracingEndpoint }, use) => {
      let tracer: TestTracer | undefined;
      await use({
        get: () => (tracer ??= new TestTracer({ url: otlpTracesUrl(testTracingEndpoint) })),
      });
      await tracer?.shutdown();
    },
    { scope: 'worker', box: true },
  ],

  // Auto, so the span covers the whole test: every other fixture's set-up
  // and teardown (the page, the browser error check) happens inside it.
  testSpan: [
    async ({ testTracing, testTracer, traceSource }, use, testInfo) => {
      if (!testTracing) {
        await use(undefined);
        return;
      }
      const span = testTracer.get().startTestSpan(testInfo);
      const { traceId, spanId } = span.spanContext();
      const link = traceSource.traceLink?.(traceId);
      const where = link === undefined ? `in ${traceSource.name}` : link;
      testInfo.annotations.push({ type: TRACE_ANNOTATION, description: `${traceId} ${where}` });
      try {
        await use({ traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` });
      } finally {
        const outcome = testOutcome(testInfo);
        span.setAttributes(outcome.attributes);
        if (outcome.error !== undefined) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
          for (const exception of outcome.exceptions)
            span.recordException({ name: 'TestError', ...exception });
          await testInfo.attach(TRACE_ATTACHMENT, {
            body:
              link === undefined ? `trace ${traceId} in ${traceSource.name}` : `trace ${traceId}: ${link}`,
            contentType: 'text/plain',
          });
        }
        span.end();
      }
    },
    { auto: true, box: true },
  ],

  // Every page of the test's browser context gets the meta before its scripts run.
  context: async ({ context, testSpan }, use) => {
    if (testSpan) await context.addInitScript({ content: traceparentMetaScript(testSpan.traceparent) });
    await use(context);
  },
};

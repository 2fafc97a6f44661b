/**
 * @tracing-demo/trace-assert: prove, from a Playwright test, that one browser
 * action became one connected trace (README.md has the whole guide).
 *
 * ```ts
 * import { captureTraceContext, expect, traceTest as test } from '@tracing-demo/trace-assert';
 *
 * test('one click, one trace', async ({ page, traces }) => {
 *   await page.goto('/');
 *   const ctx = await captureTraceContext(page, () => page.getByRole('button', { name: 'Load' }).click(), {
 *     url: '/items/',
 *   });
 *   const server = { service: 'api', kind: 'SERVER', attributes: { 'http.route': '/items/:id' } } as const;
 *   const { trace } = await traces.waitFor(ctx.traceId, [{ service: 'web', kind: 'CLIENT' }, server]);
 *   expect(trace).toBeConnectedTrace();
 *   expect(trace).toHaveSpanWithParent(server, ctx.parentSpanId);
 * });
 * ```
 *
 * The public API is this file; the rest of src/ is internal.
 */

// Playwright: the test with its fixtures and options, and expect with the trace matchers.
export { traceTest } from './fixtures.ts';
export type { BrowserError, BrowserErrors, TraceRecorder, TraceTestOptions } from './fixtures.ts';
export { expect } from './expect.ts';
export type { TestSpanContext, TestTracingOptions, TestTracingWorkerOptions } from './test-tracing.ts';
export { TEST_SERVICE_NAME } from './test-span.ts';

// The trace context the page sent, and one action's part of a traced test's trace.
export { captureAllTraceContexts, captureTraceContext } from './capture.ts';
export type { CaptureAllOptions, CaptureOptions, CapturedTraceContext } from './capture.ts';
export { actionTrace } from './action-trace.ts';
export { formatTraceparent, parseTraceparent } from './traceparent.ts';

// Waiting for a trace, and the trace model with span selectors.
export { TraceTimeoutError, waitForTrace } from './wait.ts';
export type { ExpectedSpan, WaitForTraceOptions, WaitForTraceResult, WaitSettings } from './wait.ts';
export { Trace } from './model.ts';
export type { AttributeValue, SpanKind, StatusCode, TraceSpan } from './model.ts';
export { findSpans } from './selector.ts';
export type { SpanSelector } from './selector.ts';

// Where traces are read from: the interface, Jaeger's query API, and the OTLP/JSON reader for other backends.
export type { FetchTraceResult, SourceRequestOptions, SpanSearch, TraceSource } from './source.ts';
export { fetchTrace, jaegerSource, searchSpans } from './jaeger.ts';
export { parseOtlpTrace } from './otlp-json.ts';

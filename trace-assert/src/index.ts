/**
 * @tracing-demo/trace-assert: prove, from a Playwright test, that one browser
 * action became one connected trace in Jaeger.
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
 */
export { formatTraceparent, parseTraceparent } from './traceparent.ts';
export type { Traceparent } from './traceparent.ts';
export { Trace } from './model.ts';
export { parseOtlpSpans, parseOtlpTrace, traceFromSpans } from './otlp-json.ts';
export type { AttributeMap, AttributeValue, SpanEvent, SpanKind, StatusCode, TraceSpan } from './model.ts';
export {
  closestCandidates,
  describeSelector,
  describeSpan,
  explainMismatch,
  findSpans,
  formatCandidates,
  matchesSelector,
} from './selector.ts';
export type { AttributePredicate, Candidate, SpanSelector } from './selector.ts';
export { jaegerTraceLink, renderWaterfall } from './waterfall.ts';
export type { WaterfallOptions } from './waterfall.ts';
export { fetchTrace, searchSpans } from './jaeger.ts';
export type { FetchTraceResult } from './jaeger.ts';
export { TraceTimeoutError, expectedEntry, waitForTrace } from './wait.ts';
export type { ExpectedSpan, WaitForTraceOptions, WaitForTraceResult } from './wait.ts';
export { captureAllTraceContexts, captureTraceContext, urlMatches } from './capture.ts';
export type { CaptureAllOptions, CaptureOptions, CapturedTraceContext, UrlMatcher } from './capture.ts';
export { traceMatchers } from './matchers.ts';
export type { TraceLike, TraceMatcherResult, TraceMatcherState } from './matchers.ts';
export { expect } from './expect.ts';
export { traceTest } from './fixtures.ts';
export { TRACE_ANNOTATION, TRACE_ATTACHMENT } from './test-tracing.ts';
export type {
  TestSpanContext,
  TestTracingFixtures,
  TestTracingOptions,
  TestTracingWorkerOptions,
} from './test-tracing.ts';
export { TEST_SERVICE_NAME } from './test-span.ts';
export { actionTrace } from './action-trace.ts';
export type {
  BrowserError,
  BrowserErrors,
  TraceRecorder,
  TraceTestFixtures,
  TraceTestOptions,
  TraceWaitOptions,
} from './fixtures.ts';

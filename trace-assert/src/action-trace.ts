/**
 * One action's part of a test's trace. With test tracing on, every action of
 * a test (and the page's load) hangs below the test's span, in the test's
 * trace; and while the test runs, that span is not exported yet (a span is
 * sent when it ends). Assertions written for "one click, one trace" then read
 * the trace of the click as the app made it: {@link actionTrace}.
 */
import type { Trace, TraceSpan } from './model.ts';
import { traceFromSpans } from './otlp-json.ts';

/**
 * The trace as the action that made span `spanId` produced it, cut out of a
 * test's trace: the test span `testSpanId` and its other branches (other
 * actions, the page load) are left out, and the action's top span (the test
 * span's child above `spanId`) becomes the root. Everything else stays,
 * including spans whose parent is missing, so `toBeConnectedTrace` still
 * fails on a broken link inside the action.
 *
 * Returns `trace` itself when `testSpanId` is undefined (test tracing off:
 * the action's trace is already its own) or when `spanId` is not below the
 * test span (then the assertions see the trace as it is). Throws when `spanId`
 * is not in the trace.
 */
export function actionTrace(trace: Trace, spanId: string, testSpanId: string | undefined): Trace {
  if (testSpanId === undefined) return trace;
  const span = trace.span(spanId);
  if (span === undefined) {
    throw new Error(`actionTrace: span ${spanId} is not in trace ${trace.traceId}`);
  }
  const top = [span, ...trace.ancestors(span)].find((s) => s.parentSpanId === testSpanId);
  if (top === undefined) return trace;

  const dropped = new Set<TraceSpan>();
  const drop = (s: TraceSpan): void => {
    if (dropped.has(s)) return;
    dropped.add(s);
    for (const child of trace.children(s.spanId)) drop(child);
  };
  const testSpan = trace.span(testSpanId);
  if (testSpan !== undefined) dropped.add(testSpan);
  for (const branch of trace.children(testSpanId)) if (branch !== top) drop(branch);

  const kept = trace.spans
    .filter((s) => !dropped.has(s))
    .map((s) => {
      if (s !== top) return s;
      const root: TraceSpan = { ...s };
      delete root.parentSpanId;
      return root;
    });
  return traceFromSpans(kept, trace.link === undefined ? {} : { link: trace.link });
}

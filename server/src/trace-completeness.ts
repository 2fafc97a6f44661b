/**
 * When the API calls a trace complete for the page, and which part of it the
 * page draws. Spans reach Jaeger in pieces (each service, and the browser,
 * exports on its own schedule), so a trace read between two exports can look
 * whole: the user action span alone is a tree of one. The page therefore names
 * the spans it knows must be there (its user action, the fetch spans it made,
 * the SERVER spans the API answered under), and the trace is complete only
 * once Jaeger holds each of them, connected.
 */
import { actionTrace } from '@tracing-demo/trace-assert/action-trace';
import type { Trace } from '@tracing-demo/trace-assert/model';

/** What the caller knows about the trace it asks for (`GET /traces/:traceId`'s query). */
export interface TraceExpectation {
  /** A span the trace hangs below that Jaeger may not hold yet (the test span of a page's traceparent meta). */
  parentSpanId?: string;
  /** Spans the trace must hold; with `parentSpanId`, the first is the top span of the caller's action. */
  knownSpanIds: readonly string[];
}

/** `span_ids=a,b,c` as a list; an absent parameter is none. */
export function parseSpanIdList(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',');
}

/** The known spans the trace does not hold (yet), in the caller's order. */
export function missingSpanIds(trace: Trace, knownSpanIds: readonly string[]): string[] {
  return knownSpanIds.filter((id) => trace.span(id) === undefined);
}

/**
 * Every known span is there, and every span hangs in one tree: below
 * `parentSpanId` when given (Trace.isConnectedBelow), else under one root.
 */
export function isTraceComplete(trace: Trace, { parentSpanId, knownSpanIds }: TraceExpectation): boolean {
  if (missingSpanIds(trace, knownSpanIds).length > 0) return false;
  return parentSpanId === undefined ? trace.isConnected() : trace.isConnectedBelow(parentSpanId);
}

/**
 * The part of the trace the caller draws. A page that is part of a larger
 * trace (a test's, through its traceparent meta) draws its action's branch
 * only, not the test's other actions nor the page load; otherwise the whole trace.
 */
export function callerView(trace: Trace, { parentSpanId, knownSpanIds }: TraceExpectation): Trace {
  const [actionSpanId] = knownSpanIds;
  if (parentSpanId === undefined || actionSpanId === undefined || trace.span(actionSpanId) === undefined) {
    return trace;
  }
  return actionTrace(trace, actionSpanId, parentSpanId);
}

/**
 * The trace list's lines (`TraceSummary` in @tracing-demo/contracts), made
 * from the spans trace-assert's Jaeger reader returns for a search. Pure.
 */
import type { TraceSummary } from '@tracing-demo/contracts';
import { Trace, type TraceSpan } from '@tracing-demo/trace-assert/model';

/** A trace the list cannot show: no spans, or spans of another trace. */
export class TraceSummaryError extends Error {
  override name = 'TraceSummaryError';
}

/**
 * The span the list names the trace after: its one root; without exactly one
 * (spans still on their way, or lost), the earliest span whose parent is not
 * in the trace; in a parent cycle with no such span, the earliest span.
 */
function rootOf(trace: Trace): TraceSpan {
  const roots = trace.roots();
  if (roots.length === 1) return roots[0]!;
  const tops = new Set([...roots, ...trace.orphans()]);
  return trace.spans.find((span) => tops.has(span)) ?? trace.spans[0]!;
}

/**
 * One trace in a line. Throws a {@link TraceSummaryError} for a trace
 * without spans or with a span of another trace.
 */
export function traceSummary(trace: Trace): TraceSummary {
  if (trace.spans.length === 0) throw new TraceSummaryError(`trace ${trace.traceId} has no spans`);
  const stray = trace.spans.find((span) => span.traceId !== trace.traceId);
  if (stray !== undefined)
    throw new TraceSummaryError(
      `trace ${trace.traceId} holds span ${stray.spanId} of trace ${stray.traceId}`,
    );
  const root = rootOf(trace);
  let start = Infinity;
  let end = -Infinity;
  let errorCount = 0;
  for (const span of trace.spans) {
    start = Math.min(start, span.startMs);
    end = Math.max(end, span.startMs + span.durationMs);
    if (span.status.code === 'ERROR') errorCount += 1;
  }
  const services = new Set([root.service, ...trace.spans.map((span) => span.service)]);
  return {
    traceId: trace.traceId,
    service: root.service,
    rootName: root.name,
    startUnixMs: start,
    durationMs: end - start,
    spanCount: trace.spans.length,
    errorCount,
    services: [...services],
    connected: trace.isConnected(),
  };
}

/**
 * The spans of a search, grouped into traces and summarized, the newest
 * (latest start) first, at most `limit`. Throws a RangeError when `limit` is
 * not a whole number of at least 1.
 */
export function traceSummaries(spans: readonly TraceSpan[], limit: number): TraceSummary[] {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a whole number of at least 1, got ${limit}`);
  const byTrace = new Map<string, TraceSpan[]>();
  for (const span of spans) {
    const group = byTrace.get(span.traceId);
    if (group === undefined) byTrace.set(span.traceId, [span]);
    else group.push(span);
  }
  return [...byTrace]
    .map(([traceId, group]) => traceSummary(new Trace(traceId, group)))
    .sort((a, b) => b.startUnixMs - a.startUnixMs || (a.traceId < b.traceId ? -1 : 1))
    .slice(0, limit);
}

import type { TraceView } from '@tracing-demo/contracts';
import type { KnownSpan } from '../telemetry/known-span';

/**
 * The known spans a trace does not hold, named with their ids (what the page
 * waited for in vain), or undefined when it holds them all.
 */
export function missingSpansText(trace: TraceView, known: readonly KnownSpan[]): string | undefined {
  const held = new Set(trace.spans.map((span) => span.spanId));
  const missing = known.filter((span) => !held.has(span.spanId));
  if (missing.length === 0) return undefined;
  return missing.map((span) => `${span.what} (${span.spanId})`).join(', ');
}

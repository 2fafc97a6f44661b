import { context, trace, type Span } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';

/**
 * The SERVER span of the current request: the one instrumentation-http made
 * from the incoming traceparent (@fastify/otel's spans are its children).
 * Where the error handler records a 5xx, whose id `Server-Timing` returns,
 * and whose context `GET /propagation` reports.
 */
export function serverSpan(): Span | undefined {
  return getRPCMetadata(context.active())?.span ?? trace.getActiveSpan();
}

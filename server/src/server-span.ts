import { trace, type Span } from '@opentelemetry/api';

/**
 * The SERVER span of the current request: the one span the tracing preload
 * makes per request (@fastify/otel's, see src/tracing.ts), from the incoming
 * traceparent; it is the active span while the request is handled (no span
 * per hook or handler). Where the error handler records a 5xx, whose id
 * `Server-Timing` returns, and whose context `GET /propagation` reports.
 * Undefined when the service runs untraced.
 */
export function serverSpan(): Span | undefined {
  return trace.getActiveSpan();
}

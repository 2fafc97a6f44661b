import { trace, type Span } from '@opentelemetry/api';

/**
 * The SERVER span of the current request: the one span the tracing preload
 * makes per request, from the incoming traceparent (node-telemetry's
 * server-spans.ts); it is the active span while the request is handled.
 * Where the error handler records a 5xx, whose id `Server-Timing` returns,
 * and whose context `GET /propagation` reports. Undefined when the service
 * runs untraced.
 */
export function serverSpan(): Span | undefined {
  return trace.getActiveSpan();
}

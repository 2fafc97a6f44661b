import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * Runs `fn` with tracing suppressed: the requests to Jaeger and to the health
 * endpoints are plumbing of the demo page, and must not show up as CLIENT
 * spans (the undici instrumentation makes none, and sends no traceparent,
 * while tracing is suppressed). Their routes make no SERVER span either
 * (`otel: false`), so nothing of them is traced.
 */
export function untraced<T>(fn: () => T): T {
  return context.with(suppressTracing(context.active()), fn);
}

/** `fetchImpl` (global fetch by default) with every call {@link untraced}. */
export function untracedFetch(fetchImpl: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => untraced(() => fetchImpl(input, init));
}

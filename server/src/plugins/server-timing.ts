import fp from 'fastify-plugin';
import { trace, TraceFlags } from '@opentelemetry/api';

/**
 * The SERVER span of the current request: the one span the tracing preload
 * makes per request, from the incoming traceparent (node-telemetry's
 * server-spans.ts); it is the active span while the request is handled.
 * Undefined when the service runs untraced.
 */
export function serverSpan() {
  return trace.getActiveSpan();
}

/**
 * Returns the trace id to the caller in a `Server-Timing` entry, in the form
 * of the W3C Trace Context Level 2 editor's draft:
 * `Server-Timing: trace;desc=00-<trace-id>-<server-span-id>-<flags>`.
 * There is no settled standard for this; the page uses it to link the trace,
 * and the tests check it equals the trace id the browser sent.
 */
export default fp<{ allowedOrigins: string[] }>(
  async (app, { allowedOrigins }) => {
    app.addHook('onSend', async (request, reply) => {
      const span = serverSpan();
      if (!span) return;
      const { traceId, spanId, traceFlags } = span.spanContext();
      if (!trace.isSpanContextValid(span.spanContext())) return;
      const flags = traceFlags & TraceFlags.SAMPLED ? '01' : '00';
      void reply.header('server-timing', `trace;desc="00-${traceId}-${spanId}-${flags}"`);
      // Cross-origin pages only see Server-Timing entries with this header.
      const origin = request.headers.origin;
      if (origin && allowedOrigins.includes(origin)) void reply.header('timing-allow-origin', origin);
    });
  },
  { name: 'server-timing' },
);

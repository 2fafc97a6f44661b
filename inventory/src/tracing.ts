/**
 * OpenTelemetry for the inventory, preloaded with `node --import ./src/tracing.ts ./src/server.ts`
 * so that it is in place before Fastify and pino load; its SQLite queries are traced by hand
 * (src/db.ts). The same set-up as the API's src/tracing.ts, without outgoing HTTP: configured by
 * the standard OTEL_* variables, shut down by the server once Fastify has closed.
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { SpanStatusCode, type Span, type SpanStatus } from '@opentelemetry/api';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { FastifyRequest } from 'fastify';
// Optional: keeps the spans of a Collector outage and resends them. Without it NodeSDK makes its
// own OTLP exporter from the same variables, and each failed batch is lost.
import { ResilientOTLPTraceExporter } from '@tracing-demo/node-telemetry/resilient-exporter';
// Optional: W3C Trace Context Level 2 (tracestate rules, the random flag). Without it, core's
// propagator: docs/how-it-works.md#w3c-trace-context-to-the-letter says what it gets wrong.
import { W3CTraceContextLevel2Propagator } from '@tracing-demo/node-telemetry/w3c-trace-context';

const sdk = new NodeSDK({
  traceExporter: new ResilientOTLPTraceExporter(),
  textMapPropagator: new CompositePropagator({
    propagators: [new W3CTraceContextLevel2Propagator(), new W3CBaggagePropagator()],
  }),
  instrumentations: [
    // The one SERVER span per request: @fastify/otel on its own continues the caller's
    // traceparent. No span per hook or for the handler (they would time microseconds).
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      instrumentHooks: false,
      instrumentHandler: false,
      // The route records a 5xx's exception itself (src/routes/stock.ts), not a 4xx's.
      recordExceptions: false,
      requestHook: httpServerSpan,
    }),
    // trace_id and span_id on each log line written inside a span; the lines stay in the logs.
    new PinoInstrumentation({ disableLogSending: true }),
  ],
});
sdk.start();

/**
 * @fastify/otel's request span as the HTTP semantic conventions have a SERVER span. It names it
 * `request`, keeps the query string in url.path, has no url.scheme nor server.address, and its
 * onError hook sets ERROR for any error, a 400 included: a server's 4xx stays unset.
 */
function httpServerSpan(span: Span, request: FastifyRequest): void {
  const route = request.routeOptions.url;
  span.updateName(route === undefined ? request.method : `${request.method} ${route}`);
  span.setAttribute('url.scheme', request.protocol);
  span.setAttribute('server.address', request.hostname);
  if (request.port !== null) span.setAttribute('server.port', request.port);
  const queryAt = request.url.indexOf('?');
  if (queryAt !== -1) {
    span.setAttribute('url.path', request.url.slice(0, queryAt));
    span.setAttribute('url.query', request.url.slice(queryAt + 1));
  }
  // An ERROR waits for the status code, which @fastify/otel sets just before it ends the span.
  const { setStatus, setAttributes } = span;
  let error: SpanStatus | undefined;
  span.setStatus = (status) => {
    if (status.code !== SpanStatusCode.ERROR) return setStatus.call(span, status);
    if (error?.message === undefined) error = status;
    return span;
  };
  span.setAttributes = (attributes) => {
    const code = attributes['http.response.status_code'];
    if (error && typeof code === 'number' && code >= 500) setStatus.call(span, error);
    return setAttributes.call(span, attributes);
  };
}

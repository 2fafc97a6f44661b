/**
 * OpenTelemetry for the API, preloaded with `node --import ./src/tracing.ts ./src/server.ts`
 * so that it is in place before Fastify, pino and undici load. Configured by the standard
 * OTEL_* variables (service name, endpoint, batching: the supervisor and compose.yaml set
 * them). NodeSDK installs no signal handler: the server shuts the SDK down once Fastify has
 * closed (node-telemetry/src/run-service.ts).
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { SpanStatusCode, type Span, type SpanStatus } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
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
      // The error handler records a 5xx's exception (src/plugins/errors.ts), not a 4xx's.
      recordExceptions: false,
      // A browser sends no traceparent with a CORS preflight: each would be a trace of its own.
      ignorePaths: ({ method }) => method === 'OPTIONS',
      requestHook: httpServerSpan,
    }),
    // Outgoing node:http requests only: the SERVER span is @fastify/otel's.
    new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    // The API calls the inventory with fetch (undici): a CLIENT span and a traceparent per call.
    new UndiciInstrumentation(),
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

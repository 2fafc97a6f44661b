/**
 * OpenTelemetry for the inventory, preloaded with `node --import ./src/tracing.ts ./src/server.ts`
 * so that it is in place before Fastify and pino load; its SQLite queries are traced by hand
 * (src/db.ts). The same set-up as the API's src/tracing.ts, without outgoing HTTP: configured by
 * the standard OTEL_* variables, shut down by the server once Fastify has closed.
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
// The demo's additions, each optional (see each module for what leaving it out costs): the
// exporter that keeps a Collector outage's spans and resends them (else NodeSDK's own, which
// drops failed batches); W3C Trace Context Level 2 (else core's propagator, see
// docs/how-it-works.md#w3c-trace-context-to-the-letter); and the requestHook that makes
// @fastify/otel's span a semantic-conventions SERVER span (else it is named `request`, keeps
// the query in url.path and marks a 400 as ERROR).
import {
  fastifyServerSpan,
  ResilientOTLPTraceExporter,
  W3CTraceContextLevel2Propagator,
} from '@tracing-demo/node-telemetry/sdk-extras';

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
      requestHook: fastifyServerSpan,
    }),
    // trace_id and span_id on each log line written inside a span; the lines stay in the logs.
    new PinoInstrumentation({ disableLogSending: true }),
  ],
});
sdk.start();

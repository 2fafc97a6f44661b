/**
 * OpenTelemetry for the API, preloaded with `node --import ./src/tracing.ts`
 * so that it patches `node:http` before Fastify loads it.
 *
 * Configured through the standard OTEL_* variables; the defaults below only
 * fill in what is unset. See the README for the full list.
 */
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { loadStackConfig, SERVICE_NAMES } from '@tracing-demo/stack';
import { onShutdown } from './shutdown-hooks.ts';

const stack = loadStackConfig();
const defaults: Record<string, string> = {
  OTEL_SERVICE_NAME: SERVICE_NAMES.api,
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: stack.collector.grpcEndpoint,
  // The SDK would also build metrics and logs exporters; this demo is about
  // traces, and idle exporters to a dead endpoint slow shutdown down by seconds.
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
  // Export ended spans after 200 ms instead of 5 s, so a trace is complete in
  // Jaeger well under a second after the response. Cheap: one small gRPC call
  // per 200 ms at most, and batches still fill up to 512 spans under load.
  OTEL_BSP_SCHEDULE_DELAY: '200',
  // Stable HTTP semantic conventions (http.request.method, url.path,
  // http.response.status_code, server.address) instead of the old http.* names.
  OTEL_SEMCONV_STABILITY_OPT_IN: 'http',
};
for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;

// Export failures (Collector down) are reported once per outage by the SDK at
// WARN; a demo must never crash or spam because telemetry is unavailable.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

const sdk = new NodeSDK({
  instrumentations: [
    new HttpInstrumentation({
      // The CORS preflight carries no traceparent (browsers never send custom
      // headers on OPTIONS), so it would only add a disconnected one-span trace.
      ignoreIncomingRequestHook: (request) => request.method === 'OPTIONS',
    }),
    // Route, request and handler spans; registers itself on every Fastify instance.
    new FastifyOtelInstrumentation({ registerOnInitialization: true }),
  ],
});
sdk.start();

// The server calls this after Fastify has closed (SIGTERM/SIGINT): it exports
// every ended span, then stops. NodeSDK installs no signal handler of its own.
onShutdown(() => sdk.shutdown());

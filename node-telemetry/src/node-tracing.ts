/**
 * OpenTelemetry for a Node service of the demo (the API and the inventory),
 * started from each service's `src/tracing.ts` preload
 * (`node --import ./src/tracing.ts`), so that it is in place before the
 * service loads Fastify and pino.
 *
 * Configured through the standard OTEL_* variables; the defaults below only
 * fill in what is unset. See the README for the full list.
 *
 * Lean on purpose: a tracer provider with one batch processor, not NodeSDK
 * (which also loads the metrics and logs SDKs and their exporters, about
 * 15 MB per process that this demo never uses), and one SERVER span per
 * request (server-spans.ts) instead of instrumentation-http's plus
 * @fastify/otel's three. docs/performance.md has what each choice bought.
 */
import { diag, DiagConsoleLogger, DiagLogLevel, trace } from '@opentelemetry/api';
import { CompositePropagator, setGlobalErrorHandler, W3CBaggagePropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { defaultResource, detectResources, envDetector } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { quietErrorHandler, ResilientExporter } from './resilient-exporter.ts';
import { RETRY_BUFFER_VARIABLES, retryBufferLimitsFromEnv } from './retry-buffer.ts';
import { nameServerSpansByRoute, traceIncomingRequests } from './server-spans.ts';
import { onShutdown } from './shutdown-hooks.ts';
import { W3CTraceContextLevel2Propagator } from './w3c-trace-context.ts';
import { ignoreIncomingRequest, untracedPathFilter } from './untraced-requests.ts';

export interface NodeTracingOptions {
  /** Default `service.name`; OTEL_SERVICE_NAME wins when set. */
  serviceName: string;
  /**
   * Default OTLP/gRPC endpoint of the Collector, given by the service (from
   * the stack's configuration); OTEL_EXPORTER_OTLP_TRACES_ENDPOINT wins when set.
   */
  collectorGrpcEndpoint: string;
  /**
   * Incoming request paths (query string included) that must produce no span
   * at all, besides the health path, which no service traces.
   */
  isUntracedPath?: (path: string) => boolean;
  /** More instrumentations, e.g. outgoing fetch (undici) for a service that calls another. */
  instrumentations?: Instrumentation[];
}

export function envDefaults(serviceName: string, collectorGrpcEndpoint: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: serviceName,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collectorGrpcEndpoint,
    // Export ended spans after 200 ms instead of 5 s, so a trace is complete in
    // Jaeger well under a second after the response. Cheap: one small gRPC call
    // per 200 ms at most when traffic is low.
    OTEL_BSP_SCHEDULE_DELAY: '200',
    // Under load, batches of 2048 spans instead of 512: a quarter of the gRPC
    // calls, so the exporter's per-call cost (grpc-js, the serialiser's set-up)
    // is paid four times less; about 10% more requests per second at full load
    // in `npm run bench` (README, Performance). The queue holds four batches so
    // a slow export does not drop spans: at most 8192 ended spans (a few MB)
    // wait in memory before the processor drops new ones.
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
    OTEL_BSP_MAX_QUEUE_SIZE: '8192',
    // How long one export call may wait for the Collector (SDK default
    // 10000). Exporting to a Collector on this machine takes milliseconds,
    // and a call that times out is not lost: its spans are kept and resent.
    // Shorter matters for a Collector that accepts connections but never
    // answers: the last export at shutdown would otherwise wait until the
    // service's forced exit (10 s); now shutdown takes about 4 s at worst.
    OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2000',
    // Not standard variables (this project's ResilientExporter): while the
    // Collector does not answer, failed batches wait for it, at most this many
    // spans (a few MB), for at most this long (ms); oldest dropped first.
    [RETRY_BUFFER_VARIABLES.maxSpans.name]: String(RETRY_BUFFER_VARIABLES.maxSpans.default),
    [RETRY_BUFFER_VARIABLES.maxAgeMs.name]: String(RETRY_BUFFER_VARIABLES.maxAgeMs.default),
    // Stable HTTP semantic conventions (http.request.method, url.full,
    // http.response.status_code, server.address) instead of the old http.*
    // names, for outgoing node:http calls (server-spans.ts and the undici
    // instrumentation use only the stable ones).
    OTEL_SEMCONV_STABILITY_OPT_IN: 'http',
    // Bound every string attribute: a 10 KB query string would otherwise be
    // stored whole in url.query and url.path (Node's 16 KiB header limit is the
    // only other bound).
    OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2048',
  };
}

/** Starts tracing once; its flush runs from the service's shutdown hooks. */
export function startNodeTracing({
  serviceName,
  collectorGrpcEndpoint,
  isUntracedPath = () => false,
  instrumentations = [],
}: NodeTracingOptions) {
  for (const [name, value] of Object.entries(envDefaults(serviceName, collectorGrpcEndpoint))) {
    process.env[name] ??= value;
  }

  // A demo must never crash or spam because telemetry is unavailable: a
  // Collector outage costs a few lines from ResilientExporter (when it starts,
  // when exports work again, how many spans were dropped if any), and the
  // spans of a short one are resent. The batch processor hands the batches
  // the exporter answers as failed (those the Collector refused for good) to
  // the global error handler too; quietErrorHandler drops those, which the
  // exporter already reported, and sends any other SDK error to diag (WARN
  // and above are printed).
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  setGlobalErrorHandler(quietErrorHandler);

  // Each OTLPTraceExporter reads OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  // (and the other OTEL_EXPORTER_OTLP_* variables) itself; ResilientExporter
  // makes a new one after a failed export (see there why).
  const traceExporter = new ResilientExporter(() => new OTLPTraceExporter(), {
    endpoint: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? collectorGrpcEndpoint,
    limits: retryBufferLimitsFromEnv(process.env, (line) => console.warn(line)),
  });
  const isUntraced = untracedPathFilter(isUntracedPath);

  const provider = new NodeTracerProvider({
    // service.name from OTEL_SERVICE_NAME (set above), OTEL_RESOURCE_ATTRIBUTES,
    // and the SDK's name and version. Not NodeSDK's process and host
    // detectors: nobody here reads their dozen attributes (pid, command line,
    // runtime, host name…), and Jaeger's Badger storage writes one index
    // entry per resource attribute for every span, which about doubled its
    // work per span (docs/performance.md).
    resource: defaultResource().merge(detectResources({ detectors: [envDetector] })),
    // Reads OTEL_BSP_* (the defaults above) and the sampler from OTEL_TRACES_SAMPLER.
    spanProcessors: [new BatchSpanProcessor(traceExporter)],
  });
  // AsyncLocalStorage context (AsyncContextFrame on Node 24), W3C traceparent
  // (Level 2: w3c-trace-context.ts) + baggage.
  provider.register({
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextLevel2Propagator(), new W3CBaggagePropagator()],
    }),
  });

  const stopServerSpans = traceIncomingRequests({
    tracer: trace.getTracer('@tracing-demo/node-telemetry'),
    // CORS preflights, the health path and the service's untraced paths make
    // no span at all (untraced-requests.ts).
    isIgnored: ignoreIncomingRequest(isUntraced),
  });
  const stopNaming = nameServerSpansByRoute();
  const unregister = registerInstrumentations({
    instrumentations: [
      // Outgoing node:http requests only (the SERVER spans are server-spans.ts's).
      // The services call each other with fetch (undici, see the API's
      // tracing.ts), but this costs nothing until something uses node:http,
      // and without it such a call would silently drop both the CLIENT span
      // and the traceparent.
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
      // Adds trace_id, span_id and trace_flags to every log line written while
      // a span is active (Fastify's logger is pino), so a trace id on the page
      // finds every log line of that request. Logs stay on stdout and in
      // LOG_DIR: they are not sent as OTLP logs.
      new PinoInstrumentation({ disableLogSending: true }),
      ...instrumentations,
    ],
  });

  let stopped: Promise<void> | undefined;
  const shutdown = () => {
    stopped ??= (async () => {
      stopServerSpans();
      stopNaming();
      unregister();
      await provider.shutdown();
    })();
    return stopped;
  };
  // The server calls this after Fastify has closed (SIGTERM/SIGINT): it exports
  // every ended span, then stops. Nothing here installs a signal handler.
  onShutdown(shutdown);
  return { shutdown };
}

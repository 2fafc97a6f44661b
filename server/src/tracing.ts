/**
 * OpenTelemetry for the API, preloaded with `node --import ./src/tracing.ts`
 * so that it patches `node:http`, pino and Fastify before they load. The set-up
 * both services share (exporter, OTEL_* defaults, HTTP, Fastify and pino
 * instrumentations) is in @tracing-demo/node-telemetry.
 */
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { isUntracedApiPath, loadStackConfig, SERVICE_NAMES } from '@tracing-demo/stack';
import { startNodeTracing } from '@tracing-demo/node-telemetry/tracing';

const stack = loadStackConfig();
/** Where the untraced routes go: the page's trace viewer must not add traces of its own. */
const untracedOrigins = [stack.jaeger.uiUrl, stack.jaeger.healthUrl, stack.collector.healthUrl].map(
  (url) => new URL(url).origin,
);

startNodeTracing({
  serviceName: SERVICE_NAMES.api,
  collectorGrpcEndpoint: stack.collector.grpcEndpoint,
  // GET /traces/:id and GET /status serve the page's waterfall and status
  // strip. Traced, every drawing of a trace would make a new trace (a loop
  // of traces about reading traces). GET /healthz is left untraced by
  // node-telemetry itself, in every service.
  isUntracedPath: isUntracedApiPath,
  instrumentations: [
    // The API calls the inventory with fetch() (Node's undici): a CLIENT span
    // per call and the traceparent header that makes the inventory's spans
    // children of it. Calls to Jaeger and the health checks (the untraced
    // routes' own requests) make no span.
    new UndiciInstrumentation({
      ignoreRequestHook: (request) => untracedOrigins.includes(request.origin),
    }),
  ],
});

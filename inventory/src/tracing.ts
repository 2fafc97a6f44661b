/**
 * OpenTelemetry for the inventory, preloaded with `node --import ./src/tracing.ts`
 * before Fastify and pino load. Same set-up as the API (@tracing-demo/node-telemetry,
 * which also leaves GET /healthz untraced: the launcher and the API's GET /status
 * poll it); its SQLite queries are traced by hand in db.ts.
 */
import { loadStackConfig, SERVICE_NAMES } from '@tracing-demo/stack';
import { startNodeTracing } from '@tracing-demo/node-telemetry/tracing';

startNodeTracing({
  serviceName: SERVICE_NAMES.inventory,
  collectorGrpcEndpoint: loadStackConfig().collector.grpcEndpoint,
});

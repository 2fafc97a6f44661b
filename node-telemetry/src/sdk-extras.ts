/**
 * What the services' `src/tracing.ts` take from this demo, in one import, for
 * NodeSDK's own extension points: `traceExporter`, `textMapPropagator` and
 * `@fastify/otel`'s `requestHook`. Each module says what it adds to the
 * official packages and what leaving it out costs.
 */
export { fastifyServerSpan } from './fastify-server-span.ts';
export { ResilientOTLPTraceExporter } from './resilient-exporter.ts';
export { W3CTraceContextLevel2Propagator } from './w3c-trace-context.ts';

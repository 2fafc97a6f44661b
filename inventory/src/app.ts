import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HealthSchema } from '@tracing-demo/contracts';
import { IncomingRequestInHook, logIncomingRequest } from '@tracing-demo/node-telemetry/logger';
import { HEALTH_PATH } from '@tracing-demo/stack';
import type { InventoryDb } from './db.ts';
import propagationRoutes from './routes/propagation.ts';
import stockRoutes from './routes/stock.ts';

/** Builds the inventory without listening, so tests can use `app.inject()` or listen on port 0. */
export async function buildInventoryApp({
  db,
  fastify,
}: {
  db: InventoryDb;
  fastify?: FastifyServerOptions;
}) {
  const app = Fastify({
    // "incoming request" is logged by the hook below, inside the request's span (its trace_id).
    logController: new IncomingRequestInHook(),
    ...fastify,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('onRequest', logIncomingRequest);
  // For the launcher's health wait and the API's GET /status. No span at all
  // (`otel: false`, @fastify/otel's switch for a route): a poll a second would
  // otherwise be a trace a second.
  app.get(
    HEALTH_PATH,
    { config: { otel: false }, schema: { response: { 200: HealthSchema } } },
    async () => ({ status: 'ok' as const }),
  );
  await app.register(stockRoutes, { db });
  await app.register(propagationRoutes);
  return app;
}

import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HealthSchema } from '@tracing-demo/contracts';
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
  const app = Fastify(fastify).withTypeProvider<TypeBoxTypeProvider>();
  // For the launcher's health wait and the API's GET /status. No span at all:
  // node-telemetry ignores HEALTH_PATH in every service.
  app.get(HEALTH_PATH, { schema: { response: { 200: HealthSchema } } }, async () => ({
    status: 'ok' as const,
  }));
  await app.register(stockRoutes, { db });
  await app.register(propagationRoutes);
  return app;
}

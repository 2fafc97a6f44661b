import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { InventoryDb } from './db.ts';
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
  // For the launcher's health wait; not traced (no trace for a health poll).
  app.get('/healthz', { config: { otel: false } }, async () => ({ status: 'ok' }));
  await app.register(stockRoutes, { db });
  return app;
}

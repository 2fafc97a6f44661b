import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthSchema } from '@tracing-demo/contracts';
import { HEALTH_PATH } from '@tracing-demo/stack';

/**
 * `GET /healthz`: cheap (no inventory, no Collector), for the launcher's
 * health wait, which would otherwise poll the traced `GET /`. No span at all
 * (`otel: false`, @fastify/otel's switch for a route), as in every service.
 */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    HEALTH_PATH,
    { config: { otel: false }, schema: { response: { 200: HealthSchema } } },
    async () => ({ status: 'ok' as const }),
  );
};

export default healthRoutes;

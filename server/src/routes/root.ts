import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HelloSchema } from '@tracing-demo/contracts';

const rootRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { schema: { response: { 200: HelloSchema } } }, async () => ({ Hello: 'World' as const }));
};

export default rootRoutes;

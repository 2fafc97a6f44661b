import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '@tracing-demo/contracts';

/** A route that always fails, to show what a 5xx looks like in a trace. */
const boomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/boom', { schema: { response: { 500: ErrorSchema } } }, async () => {
    throw new Error('Forced failure for the demo (GET /boom)');
  });
};

export default boomRoutes;

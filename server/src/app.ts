import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import corsPlugin from './plugins/cors.ts';
import errorsPlugin from './plugins/errors.ts';
import serverTimingPlugin from './plugins/server-timing.ts';
import boomRoutes from './routes/boom.ts';
import propagationRoutes from './routes/propagation.ts';
import rootRoutes from './routes/root.ts';
import itemRoutes from './routes/items.ts';
import type { ApiConfig } from './config.ts';

export interface BuildAppOptions {
  config: Pick<ApiConfig, 'allowedOrigins'>;
  fastify?: FastifyServerOptions;
}

/** Builds the API without listening, so tests can use `app.inject()`. */
export async function buildApp({ config, fastify }: BuildAppOptions) {
  const app = Fastify({
    // Bounded inputs: a query string or a header line this long is a 4xx, not work.
    routerOptions: { maxParamLength: 100 },
    ...fastify,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(corsPlugin, { allowedOrigins: config.allowedOrigins });
  await app.register(serverTimingPlugin, { allowedOrigins: config.allowedOrigins });
  await app.register(errorsPlugin);
  await app.register(rootRoutes);
  await app.register(itemRoutes);
  await app.register(boomRoutes);
  await app.register(propagationRoutes);

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
    });
  });

  return app;
}

import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IncomingRequestInHook, logIncomingRequest } from '@tracing-demo/node-telemetry/logger';
import corsPlugin from './plugins/cors.ts';
import errorsPlugin, { sendError } from './plugins/errors.ts';
import inputLimitsPlugin, {
  frameworkErrors,
  MAX_HEADER_BYTES,
  MAX_PARAM_LENGTH,
} from './plugins/input-limits.ts';
import securityHeadersPlugin from './plugins/security-headers.ts';
import serverTimingPlugin from './plugins/server-timing.ts';
import boomRoutes from './routes/boom.ts';
import healthRoutes from './routes/health.ts';
import propagationRoutes from './routes/propagation.ts';
import rootRoutes from './routes/root.ts';
import itemRoutes from './routes/items.ts';
import statusRoutes from './routes/status.ts';
import traceRoutes from './routes/traces.ts';
import type { ApiConfig } from './config.ts';

export interface BuildAppOptions {
  config: Pick<ApiConfig, 'allowedOrigins' | 'inventory'> &
    Partial<Pick<ApiConfig, 'jaegerUrl' | 'health' | 'sampling'>>;
  fastify?: FastifyServerOptions;
}

/** Builds the API without listening, so tests can use `app.inject()`. */
export async function buildApp({ config, fastify }: BuildAppOptions) {
  const app = Fastify({
    // Bounded inputs (see plugins/input-limits.ts): an overlong URL or path
    // parameter is a 414, oversized headers a 431, a broken path a 400.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    frameworkErrors,
    // "incoming request" is logged by the hook below, inside the request's span (its trace_id).
    logController: new IncomingRequestInHook(),
    ...fastify,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('onRequest', logIncomingRequest);

  // First: the headers go on every response, CORS preflights and 414s included.
  await app.register(securityHeadersPlugin);
  // CORS before the URL bound, so the web app can read a 414 like any answer.
  await app.register(corsPlugin, { allowedOrigins: config.allowedOrigins });
  await app.register(inputLimitsPlugin);
  await app.register(serverTimingPlugin, { allowedOrigins: config.allowedOrigins });
  await app.register(errorsPlugin);
  // Untraced, like the inventory's (HEALTH_PATH, stack/src/config.ts).
  await app.register(healthRoutes);
  await app.register(rootRoutes);
  await app.register(itemRoutes, { inventory: config.inventory });
  await app.register(boomRoutes);
  await app.register(propagationRoutes, { inventory: config.inventory });
  // The page's trace viewer and status strip: untraced (UNTRACED_API_PATHS, stack/src/config.ts).
  if (config.jaegerUrl !== undefined) await app.register(traceRoutes, { jaegerUrl: config.jaegerUrl });
  if (config.health !== undefined) {
    await app.register(statusRoutes, {
      collectorHealthUrl: config.health.collector,
      jaegerHealthUrl: config.health.jaeger,
      inventoryHealthUrl: config.health.inventory,
      jaegerUiUrl: config.jaegerUrl,
      sampling: config.sampling,
    });
  }

  app.setNotFoundHandler((request, reply) => {
    void sendError(reply, 404, `Route ${request.method} ${request.url.split('?')[0]} not found`);
  });

  return app;
}

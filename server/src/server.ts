import { serviceLogger } from '@tracing-demo/node-telemetry/logger';
import { loadOrExit, runService } from '@tracing-demo/node-telemetry/run-service';
import { SERVICE_NAMES } from '@tracing-demo/stack';
import { buildApp } from './app.ts';
import { loadApiConfig } from './config.ts';

const config = loadOrExit(SERVICE_NAMES.api, () => loadApiConfig());
const app = await buildApp({
  config,
  fastify: {
    logger: serviceLogger({
      service: SERVICE_NAMES.api,
      level: process.env.LOG_LEVEL,
      logDir: process.env.LOG_DIR,
    }),
  },
});

// SIGTERM/SIGINT: close Fastify, then flush spans, then exit (see run-service.ts).
await runService({
  service: SERVICE_NAMES.api,
  app,
  host: config.host,
  port: config.port,
  portVariable: 'API_PORT',
});

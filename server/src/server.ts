import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { loadApiConfig } from './config.ts';
import { serviceLogger } from '@tracing-demo/node-telemetry/logger';
import { runShutdownHooks } from '@tracing-demo/node-telemetry/shutdown-hooks';
import { SERVICE_NAMES } from '@tracing-demo/stack';

let config;
try {
  config = loadApiConfig();
} catch (error) {
  console.error(`api: ${(error as Error).message}`);
  process.exit(1);
}

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

// On SIGTERM/SIGINT: stop accepting requests, let those in flight finish,
// then flush spans (runShutdownHooks), then exit. Forced exit after 10 s.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error');
  else app.log.info({ signal }, 'closing');
  await app.close();
  await runShutdownHooks();
});

try {
  await app.listen({ host: config.host, port: config.port });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE'
      ? `api: port ${config.port} on ${config.host} is already in use; stop what uses it or set API_PORT.`
      : `api: could not listen on ${config.host}:${config.port}: ${(error as Error).message}`,
  );
  await runShutdownHooks();
  process.exit(1);
}

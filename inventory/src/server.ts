import closeWithGrace from 'close-with-grace';
import { serviceLogger } from '@tracing-demo/node-telemetry/logger';
import { runShutdownHooks } from '@tracing-demo/node-telemetry/shutdown-hooks';
import { SERVICE_NAMES } from '@tracing-demo/stack';
import { buildInventoryApp } from './app.ts';
import { loadInventoryConfig } from './config.ts';
import { InventoryDb } from './db.ts';

let config;
try {
  config = loadInventoryConfig();
} catch (error) {
  console.error(`inventory: ${(error as Error).message}`);
  process.exit(1);
}

const db = new InventoryDb(config.databaseFile);
const app = await buildInventoryApp({
  db,
  fastify: {
    logger: serviceLogger({
      service: SERVICE_NAMES.inventory,
      level: process.env.LOG_LEVEL,
      logDir: process.env.LOG_DIR,
    }),
  },
});

// On SIGTERM/SIGINT: finish the requests in flight, close the database, flush spans, exit.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error');
  else app.log.info({ signal }, 'closing');
  await app.close();
  db.close();
  await runShutdownHooks();
});

try {
  await app.listen({ host: config.host, port: config.port });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE'
      ? `inventory: port ${config.port} on ${config.host} is already in use; stop what uses it or set INVENTORY_PORT.`
      : `inventory: could not listen on ${config.host}:${config.port}: ${(error as Error).message}`,
  );
  db.close();
  await runShutdownHooks();
  process.exit(1);
}

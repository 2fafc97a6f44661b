import { serviceLogger } from '@tracing-demo/node-telemetry/logger';
import { loadOrExit, runService } from '@tracing-demo/node-telemetry/run-service';
import { SERVICE_NAMES } from '@tracing-demo/stack';
import { buildInventoryApp } from './app.ts';
import { loadInventoryConfig } from './config.ts';
import { InventoryDb } from './db.ts';

const config = loadOrExit(SERVICE_NAMES.inventory, () => loadInventoryConfig());
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

// SIGTERM/SIGINT: close Fastify, then the database, then flush spans, then exit.
await runService({
  service: SERVICE_NAMES.inventory,
  app,
  host: config.host,
  port: config.port,
  portVariable: 'INVENTORY_PORT',
  release: () => db.close(),
});

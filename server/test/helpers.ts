import { afterAll, afterEach } from 'vitest';
import { buildInventoryApp } from '@tracing-demo/inventory/app';
import { InventoryDb } from '@tracing-demo/inventory/db';
import { buildApp } from '../src/app.ts';

export const WEB_ORIGIN = 'http://localhost:5173';

type App = Awaited<ReturnType<typeof buildApp>>;
type InventoryApp = Awaited<ReturnType<typeof buildInventoryApp>>;
const opened: App[] = [];

/** A real inventory (in-memory SQLite, items 1..100) listening on a free port. */
export async function startInventory(): Promise<{ url: string; app: InventoryApp; db: InventoryDb }> {
  const db = new InventoryDb(':memory:');
  // Closes keep-alive connections at once, also a request still in its delay.
  const app = await buildInventoryApp({ db, fastify: { forceCloseConnections: true } });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, app, db };
}

let inventory: Promise<{ url: string; app: InventoryApp; db: InventoryDb }> | undefined;
afterAll(async () => {
  const running = await inventory;
  inventory = undefined;
  await running?.app.close();
  running?.db.close();
});

/** Builds the API for `app.inject()`, calling a real inventory; every app is closed after its test. */
export async function testApp(
  overrides: { inventoryUrl?: string; inventoryTimeoutMs?: number } = {},
): Promise<App> {
  inventory ??= startInventory();
  const { url } = await inventory;
  const app = await buildApp({
    config: {
      allowedOrigins: [WEB_ORIGIN, 'http://127.0.0.1:5173'],
      inventory: { url: overrides.inventoryUrl ?? url, timeoutMs: overrides.inventoryTimeoutMs ?? 2000 },
    },
  });
  opened.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildInventoryApp } from '../src/app.ts';
import { InventoryDb } from '../src/db.ts';

/** Each route, and whether @fastify/otel traces it (its config has no `otel: false`), as @fastify/otel reads them. */
const traced = new Map<string, boolean>();
const onCreated = (message: unknown) => {
  (message as { fastify: FastifyInstance }).fastify.addHook('onRoute', (route) => {
    traced.set(`${String(route.method)} ${route.url}`, route.config?.otel !== false);
  });
};
subscribe('fastify.initialization', onCreated);
const db = new InventoryDb(':memory:');
const app = await buildInventoryApp({ db });
unsubscribe('fastify.initialization', onCreated);
afterAll(async () => {
  await app.close();
  db.close();
});

describe('GET /healthz', () => {
  it.each(['/healthz', '/healthz?x=1'])('%s answers 200 {"status":"ok"}', async (url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is not /healthzX (404)', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthzX' })).statusCode).toBe(404);
  });
});

describe("the inventory's untraced routes", () => {
  it('the health route only turns tracing off (the API polls it from GET /status)', () => {
    expect([...traced].filter(([, on]) => !on).map(([route]) => route)).toEqual([
      'GET /healthz',
      'HEAD /healthz',
    ]);
    expect(traced.get('GET /stock/:id')).toBe(true);
  });
});

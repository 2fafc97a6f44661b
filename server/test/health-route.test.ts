import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';
import { HEALTH_PATH, isUntracedApiPath } from '@tracing-demo/stack';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { testApp, WEB_ORIGIN } from './helpers.ts';

describe('GET /healthz', () => {
  it('answers 200 {"status":"ok"}, a query string too', async () => {
    const app = await testApp();
    for (const url of ['/healthz', '/healthz?x=1']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    }
  });

  it('asks nothing of the inventory: it answers with the inventory down', async () => {
    const app = await testApp({ inventoryUrl: 'http://127.0.0.1:9', inventoryTimeoutMs: 100 });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('carries the same headers as every answer (CORS, security)', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: WEB_ORIGIN } });
    expect(response.headers['access-control-allow-origin']).toBe(WEB_ORIGIN);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['/healthzX', '/healthz/x'])('is not %s (404)', async (url) => {
    const app = await testApp();
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });
});

/**
 * Every route of the API, its method and path, and whether its config turns @fastify/otel off
 * (`otel: false`), read as @fastify/otel reads them: an onRoute hook on each new Fastify instance.
 */
async function routeTracing(): Promise<Map<string, boolean>> {
  const routes = new Map<string, boolean>();
  const onCreated = (message: unknown) => {
    (message as { fastify: FastifyInstance }).fastify.addHook('onRoute', (route) => {
      routes.set(`${String(route.method)} ${route.url}`, route.config?.otel !== false);
    });
  };
  subscribe('fastify.initialization', onCreated);
  try {
    const app = await buildApp({
      config: {
        allowedOrigins: [WEB_ORIGIN],
        inventory: { url: 'http://127.0.0.1:9', timeoutMs: 100 },
        jaegerUrl: 'http://127.0.0.1:9',
        health: {
          collector: 'http://127.0.0.1:9',
          jaeger: 'http://127.0.0.1:9',
          inventory: 'http://127.0.0.1:9',
        },
      },
    });
    await app.close();
  } finally {
    unsubscribe('fastify.initialization', onCreated);
  }
  return routes;
}

/** Whether a route's path is one the API must not trace (UNTRACED_API_PATHS, HEALTH_PATH). */
const mustBeUntraced = (path: string) =>
  path === HEALTH_PATH || isUntracedApiPath(path.replace(/:\w+/g, 'x'));

describe("the API's untraced routes", () => {
  it('the health, status and trace routes, and only they, turn tracing off', async () => {
    const routes = await routeTracing();
    const untraced = [...routes].filter(([, traced]) => !traced).map(([route]) => route);
    expect(untraced.toSorted()).toEqual(
      [...routes.keys()].filter((route) => mustBeUntraced(route.split(' ')[1]!)).toSorted(),
    );
    expect(untraced).toEqual(
      expect.arrayContaining(['GET /healthz', 'GET /status', 'GET /traces', 'GET /traces/:traceId']),
    );
    expect(routes.get('GET /items/:id')).toBe(true);
  });

  it.each([
    ['/healthz', true],
    ['/status', true],
    ['/traces', true],
    ['/traces/:traceId', true],
    ['/', false],
    ['/items/:id', false],
    ['/healthzX', false],
    ['/statusX', false],
  ])('the check says %s must be untraced: %s', (path, expected) => {
    expect(mustBeUntraced(path)).toBe(expected);
  });
});

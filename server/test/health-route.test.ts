import { isUntracedApiPath } from '@tracing-demo/stack';
import { untracedPathFilter } from '@tracing-demo/node-telemetry/untraced-requests';
import { describe, expect, it } from 'vitest';
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

/** What the API passes to startNodeTracing (src/tracing.ts), combined as node-telemetry combines it. */
const untraced = untracedPathFilter(isUntracedApiPath);

describe("the API's untraced incoming paths", () => {
  it.each([
    '/healthz',
    '/healthz?x=1',
    '/status',
    '/status?x=1',
    '/traces/abc',
    '/traces/abc?wait_ms=10',
    '/traces',
    '/traces?service=e2e&limit=5',
  ])('include %s', (path) => {
    expect(untraced(path)).toBe(true);
  });

  it.each(['/', '/items/1', '/items/1?q=healthz', '/healthzX', '/statusX', '/tracesX', '/boom'])(
    'exclude %s',
    (path) => {
      expect(untraced(path)).toBe(false);
    },
  );
});

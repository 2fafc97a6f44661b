import { describe, expect, it } from 'vitest';
import { testApp, WEB_ORIGIN } from './helpers.ts';
import { closedPortUrl } from './local-servers.ts';

describe('GET /', () => {
  it('answers {"Hello":"World"}', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ Hello: 'World' });
  });
});

describe('GET /items/:id', () => {
  it("echoes the integer id and the query, with the inventory's name and stock", async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: '/items/5?q=somequery' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ item_id: 5, q: 'somequery', name: 'blue lamp', stock: 1 });
  });

  it('answers q: null when q is absent', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: '/items/42' });
    expect(response.json()).toMatchObject({ item_id: 42, q: null });
  });

  it.each(['abc', '5.5', '1e3', '0x10', '%20', ''])(
    'rejects the non-integer id %j with a 400 naming params/id',
    async (id) => {
      const app = await testApp();
      const response = await app.inject({ method: 'GET', url: `/items/${id}` });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/json/);
      expect(response.json()).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: 'params/id must be integer',
      });
    },
  );

  it('rejects an overlong q with a 400 naming querystring/q', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: `/items/5?q=${'x'.repeat(300)}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/querystring\/q/);
  });

  it('rejects an overlong id parameter with a 4xx, never a 5xx', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: `/items/${'9'.repeat(500)}` });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });
});

describe('unknown routes', () => {
  it('answer 404 with a JSON body', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Route GET /nope not found',
    });
  });
});

describe('CORS', () => {
  it('lets the web origin send traceparent, tracestate and baggage', async () => {
    const app = await testApp();
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/items/5',
      headers: {
        origin: WEB_ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'traceparent,tracestate,baggage',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(WEB_ORIGIN);
    expect(String(response.headers['access-control-allow-headers']).split(/,\s*/)).toEqual(
      expect.arrayContaining(['traceparent', 'tracestate', 'baggage']),
    );
  });

  it('allows the web app opened as 127.0.0.1 too', async () => {
    const app = await testApp();
    const response = await app.inject({
      method: 'GET',
      url: '/',
      headers: { origin: 'http://127.0.0.1:5173' },
    });
    expect(response.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
  });

  it('grants nothing to another origin', async () => {
    const app = await testApp();
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/items/5',
      headers: { origin: 'http://evil.example:5173', 'access-control-request-method': 'GET' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('GET /boom', () => {
  it('answers 500 with a JSON body that leaks no internals', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    const body = response.json();
    expect(body).toMatchObject({ statusCode: 500, error: 'Internal Server Error' });
    expect(JSON.stringify(body)).not.toMatch(/Forced failure|at .*\.ts/);
  });
});

describe('GET /propagation', () => {
  it('answers without tracing set up (no SDK in unit tests)', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: '/propagation' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      traceId: '',
      spanId: '',
      sampled: false,
      tracestate: '',
      baggage: {},
      // The real inventory, asked without a traceparent to send (no SDK here).
      inventory: { traceparent: null, tracestate: null },
    });
  });

  it('still answers when the inventory cannot be asked: inventory is null', async () => {
    const app = await testApp({ inventoryUrl: await closedPortUrl() });
    const response = await app.inject({ method: 'GET', url: '/propagation' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ inventory: null });
  });
});

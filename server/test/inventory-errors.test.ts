/**
 * GET /items/:id when the inventory answers 404, fails, is slow or is down:
 * each is a clear JSON error from the API (404, 502, 504, 503), never a 500,
 * and the API keeps serving. A real inventory and real closed ports; no
 * mocked fetch.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp } from './helpers.ts';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A stand-in inventory that answers every request with `status` and `body`. */
const standIns: { close(): void }[] = [];
afterEach(() => {
  for (const server of standIns.splice(0)) server.close();
});
async function inventoryAnswering(status: number, body: string): Promise<string> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  standIns.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('GET /items/:id and the inventory', () => {
  it('passes an unknown item on as a 404 naming it', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: '/items/9999' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'item 9999 not found' });
  });

  it('answers 502 when the inventory fails', async () => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: '/items/5?inventory_fail=true' });
    expect(response.statusCode).toBe(502);
    expect(response.json()).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message: 'inventory answered 500: inventory failure requested (fail=true)',
    });
  });

  it('waits for a slow inventory within the timeout', async () => {
    const app = await testApp();
    const started = Date.now();
    const response = await app.inject({ method: 'GET', url: '/items/5?inventory_delay_ms=300' });
    expect(response.statusCode).toBe(200);
    // A lower bound the scenario sets itself, not a timing limit.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('answers 504 when the inventory is slower than INVENTORY_TIMEOUT_MS', async () => {
    const app = await testApp({ inventoryTimeoutMs: 100 });
    const response = await app.inject({ method: 'GET', url: '/items/5?inventory_delay_ms=1000' });
    expect(response.statusCode).toBe(504);
    expect(response.json()).toEqual({
      statusCode: 504,
      error: 'Gateway Timeout',
      message: 'inventory did not answer within 100 ms',
    });
  });

  it('answers 503 naming the URL when the inventory is down, and keeps serving', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const app = await testApp({ inventoryUrl: url });
    const response = await app.inject({ method: 'GET', url: '/items/5' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: `inventory is unreachable at ${url}`,
    });
    expect((await app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
  });

  it.each([
    ['inventory_delay_ms=-1', 'querystring/inventory_delay_ms'],
    ['inventory_delay_ms=10001', 'querystring/inventory_delay_ms'],
    ['inventory_delay_ms=soon', 'querystring/inventory_delay_ms'],
    ['inventory_fail=maybe', 'querystring/inventory_fail'],
  ])('rejects %s with a 400 naming %s', async (query, name) => {
    const app = await testApp();
    const response = await app.inject({ method: 'GET', url: `/items/5?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(name);
  });

  it.each([
    [
      'a stock that is not an integer',
      '{"item_id":5,"name":"blue lamp","stock":"1"}',
      'stock must be integer, got "1"',
    ],
    ['a missing name', '{"item_id":5,"stock":1}', 'name is missing'],
  ])('answers 502 naming the field when the inventory answers %s', async (_label, body, problem) => {
    const app = await testApp({ inventoryUrl: await inventoryAnswering(200, body) });
    const response = await app.inject({ method: 'GET', url: '/items/5' });
    expect(response.statusCode).toBe(502);
    expect(response.json()).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message: `inventory answered with a body that is not a stock record: ${problem}`,
    });
  });

  it("passes on the message of the inventory's error body, or its status text when the body is not one", async () => {
    const structured = await inventoryAnswering(
      500,
      '{"statusCode":500,"error":"Internal Server Error","message":"disk full"}',
    );
    const loose = await inventoryAnswering(500, '{"message":5}');
    expect((await (await testApp({ inventoryUrl: structured })).inject('/items/5')).json()).toMatchObject({
      message: 'inventory answered 500: disk full',
    });
    expect((await (await testApp({ inventoryUrl: loose })).inject('/items/5')).json()).toMatchObject({
      message: 'inventory answered 500: Internal Server Error',
    });
  });
});

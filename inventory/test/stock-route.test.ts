import { afterAll, describe, expect, it } from 'vitest';
import { buildInventoryApp } from '../src/app.ts';
import { InventoryDb } from '../src/db.ts';

const db = new InventoryDb(':memory:');
const app = await buildInventoryApp({ db });
afterAll(async () => {
  await app.close();
  db.close();
});

describe('GET /stock/:id', () => {
  it('answers the item with its stock', async () => {
    const response = await app.inject({ method: 'GET', url: '/stock/5' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ item_id: 5, name: 'blue lamp', stock: 1 });
  });

  it.each(['9999', '0', '-3'])('answers 404 naming the unknown item %s', async (id) => {
    const response = await app.inject({ method: 'GET', url: `/stock/${id}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `item ${Number(id)} not found`,
    });
  });

  it('fails on request (fail=true) with a JSON 500', async () => {
    const response = await app.inject({ method: 'GET', url: '/stock/5?fail=true' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({
      statusCode: 500,
      message: 'inventory failure requested (fail=true)',
    });
  });

  it.each(['abc', '1e3', '5?delay_ms=-1', '5?delay_ms=10001', '5?fail=maybe'])(
    'rejects %s with a 400',
    async (path) => {
      const response = await app.inject({ method: 'GET', url: `/stock/${path}` });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    },
  );

  it('answers its health check', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});

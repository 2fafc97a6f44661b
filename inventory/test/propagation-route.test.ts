import { afterAll, describe, expect, it } from 'vitest';
import { buildInventoryApp } from '../src/app.ts';
import { InventoryDb } from '../src/db.ts';

const db = new InventoryDb(':memory:');
const app = await buildInventoryApp({ db });
afterAll(async () => {
  await app.close();
  db.close();
});

describe('GET /propagation', () => {
  it('echoes the traceparent and tracestate as they arrived', async () => {
    const traceparent = '00-12345678901234567890123456789012-1234567890123456-03';
    const response = await app.inject({
      method: 'GET',
      url: '/propagation',
      headers: { traceparent, tracestate: 'foo@=1, bar=2' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ traceparent, tracestate: 'foo@=1, bar=2' });
  });

  it('says null for a header that did not come', async () => {
    const response = await app.inject({ method: 'GET', url: '/propagation' });
    expect(response.json()).toEqual({ traceparent: null, tracestate: null });
  });
});

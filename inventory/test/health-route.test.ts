import { untracedPathFilter } from '@tracing-demo/node-telemetry/untraced-requests';
import { afterAll, describe, expect, it } from 'vitest';
import { buildInventoryApp } from '../src/app.ts';
import { InventoryDb } from '../src/db.ts';

const db = new InventoryDb(':memory:');
const app = await buildInventoryApp({ db });
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

/** What the inventory's tracing (src/tracing.ts) leaves untraced: the health path only. */
const untraced = untracedPathFilter();

describe("the inventory's untraced incoming paths", () => {
  it.each(['/healthz', '/healthz?x=1'])('include %s (the API polls it from GET /status)', (path) => {
    expect(untraced(path)).toBe(true);
  });

  it.each(['/', '/stock/1', '/stock/1?delay_ms=5', '/healthzX', '/items/1', '/status', '/statusX'])(
    'exclude %s',
    (path) => {
      expect(untraced(path)).toBe(false);
    },
  );
});

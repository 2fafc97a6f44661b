/**
 * The inventory down, against a private copy of the stack (own ports, see
 * own-stack.ts): the API answers at once with a 503 naming the problem, the
 * trace shows where it broke, and everything works again once the inventory
 * is back, without restarting the API.
 */
import { expect } from '../fixtures.ts';
import { apiClient, apiServerFor, inventoryServer } from '../selectors.ts';
import { ownStackTest, record } from './own-stack.ts';
import { sampledTraceparent } from './wire.ts';

const test = ownStackTest(['jaeger', 'collector', 'inventory', 'api']);

test('inventory down: a quick 503 with a JSON body, an error trace, and recovery', async ({
  own,
  traces,
}, testInfo) => {
  await own.stop('inventory');
  const sent = sampledTraceparent();
  const started = performance.now();
  const response = await fetch(`${own.config.api.url}/items/5`, {
    headers: { traceparent: sent.traceparent },
  });
  // Recorded, not asserted: timing limits belong in benchmarks.
  record(testInfo, 'inventory-down-answer-ms', Math.round(performance.now() - started));
  expect(response.status).toBe(503);
  expect(await response.json()).toEqual({
    statusCode: 503,
    error: 'Service Unavailable',
    message: `inventory is unreachable at ${own.config.inventory.url}`,
  });

  // Where it broke: the API's SERVER span is an error, its call to the
  // inventory an error CLIENT span, and no inventory span exists.
  const server = { ...apiServerFor('/items/:id'), attributes: { 'http.response.status_code': 503 } };
  const { trace } = await traces.waitFor(sent.traceId, [server, apiClient]);
  expect(trace).toHaveSpan({ ...server, status: 'ERROR' });
  expect(trace).toHaveErrorSpan(server);
  expect(trace).toHaveSpan({ ...apiClient, status: 'ERROR' });
  expect(trace).not.toHaveSpan({ service: 'inventory' });

  // The API stayed up, and serves items again once the inventory is back.
  expect((await fetch(`${own.config.api.url}/`)).status).toBe(200);
  await own.startProcess('inventory');
  const again = sampledTraceparent();
  const ok = await fetch(`${own.config.api.url}/items/5`, { headers: { traceparent: again.traceparent } });
  expect(ok.status).toBe(200);
  const { trace: healed } = await traces.waitFor(again.traceId, [apiClient, inventoryServer]);
  expect(healed).toHaveChildSpan(apiClient, inventoryServer);
});

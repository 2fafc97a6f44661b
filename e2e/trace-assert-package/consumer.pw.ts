/**
 * The one spec of the throwaway project that e2e/trace-assert-package.spec.ts
 * installs the packed trace-assert into: written as a user of the published
 * package writes it (its only imports are the package and Node), and run
 * there against the running stack. Test tracing is on (consumer.config.ts),
 * and the request carries the test span's traceparent: the API's spans, and
 * the inventory's below them, continue the test's trace.
 */
import { expect, traceTest as test } from '@tracing-demo/trace-assert';

const apiUrl = process.env.API_URL;

const apiServer = { service: 'api', kind: 'SERVER', attributes: { 'http.route': '/items/:id' } } as const;
const apiClient = { service: 'api', kind: 'CLIENT' } as const;
const inventoryServer = { service: 'inventory', kind: 'SERVER' } as const;

test("a request sent with the test's traceparent continues the test's trace", async ({
  request,
  testSpan,
  traces,
}) => {
  if (!apiUrl) throw new Error('API_URL is not set');
  if (!testSpan) throw new Error('test tracing is off: consumer.config.ts turns it on');

  const response = await request.get(`${apiUrl}/items/1`, { headers: { traceparent: testSpan.traceparent } });
  expect(response.status()).toBe(200);

  const { trace } = await traces.waitFor(testSpan.traceId, [apiServer, apiClient, inventoryServer]);
  expect(trace).toHaveSpanWithParent(apiServer, testSpan.spanId);
  expect(trace).toHaveChildSpan(apiClient, inventoryServer);
  expect(trace).not.toHaveErrorSpan({});
  // A matcher that fails says what it looked for and what came closest.
  expect(() => expect(trace).toHaveSpan({ service: 'api', name: 'no such span' })).toThrow(
    /Closest spans:[\s\S]*api SERVER/,
  );
});

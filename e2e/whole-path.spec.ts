/**
 * The whole path, for real: a click in Chromium → the Fastify API → the
 * Collector → Jaeger, read back from Jaeger's query API as ONE trace.
 */
import { expect, expectedTraceHref, test } from './fixtures.ts';

const browserFetch = { service: 'web', kind: 'CLIENT' } as const;
const apiServer = { service: 'api', kind: 'SERVER' } as const;

test('GET /items/5?q=somequery is one trace from the click to the API handler', async ({ demo, traceOf }) => {
  const sent = await demo.getItem('5', 'somequery');
  expect(sent.sampled).toBe(true);

  await expect(demo.status).toHaveText('200');
  await expect(demo.body).toContainText('"item_id": 5');
  await expect(demo.body).toContainText('"q": "somequery"');
  await expect(demo.traceId).toHaveText(sent.traceId);
  // Jaeger's UI where it serves one, else the page's trace list (never Jaeger's placeholder).
  await expect(demo.jaegerLink).toHaveAttribute('href', await expectedTraceHref(sent.traceId));

  const server = { ...apiServer, attributes: { 'http.route': '/items/:id' } };
  const { trace } = await traceOf(sent, [browserFetch, server]);

  // Spans of both services, in one trace, connected from a single root.
  expect(trace).toHaveSpan({ service: 'web' });
  expect(trace).toHaveSpan({ service: 'api' });
  expect(trace).toBeConnectedTrace();
  // The browser fetch span is the one whose id the app sent in traceparent...
  expect(trace).toHaveSpan({ ...browserFetch, attributes: { 'http.request.method': 'GET' } });
  // ...and the API's SERVER span has EXACTLY that span as its parent.
  expect(trace).toHaveSpanWithParent(server, sent.parentSpanId);
  expect(trace).toHaveChildSpan(browserFetch, server);
  expect(trace).toHaveSpan({
    ...server,
    attributes: {
      'http.response.status_code': 200,
      'http.request.method': 'GET',
      'url.query': /q=somequery/,
    },
  });
  // The handler records the query it served, on the SERVER span.
  expect(trace).toHaveSpan({ ...server, attributes: { 'app.item.id': 5, 'app.item.q': 'somequery' } });
});

test('GET / is one trace from the click to the API handler', async ({ demo, traceOf }) => {
  const sent = await demo.sayHello();

  await expect(demo.status).toHaveText('200');
  await expect(demo.body).toContainText('"Hello": "World"');
  await expect(demo.traceId).toHaveText(sent.traceId);

  const server = { ...apiServer, attributes: { 'http.route': '/' } };
  const { trace } = await traceOf(sent, [browserFetch, server]);

  expect(trace).toBeConnectedTrace();
  expect(trace).toHaveSpanWithParent(server, sent.parentSpanId);
  expect(trace).toHaveSpan({ ...server, attributes: { 'http.response.status_code': 200 } });
});

test('a non-integer id shows the 400 on the page and in the trace', async ({
  demo,
  traceOf,
  browserErrors,
}) => {
  // Chromium itself logs every 4xx response as a console error; this one is expected.
  browserErrors.allow(/Failed to load resource: the server responded with a status of 400/);

  const sent = await demo.getItem('abc', 'somequery');

  await expect(demo.error).toContainText('400 Bad Request: params/id must be integer');
  await expect(demo.traceId).toHaveText(sent.traceId);

  const server = { ...apiServer, attributes: { 'http.response.status_code': 400 } };
  const { trace } = await traceOf(sent, [
    { ...browserFetch, attributes: { 'http.response.status_code': 400 } },
    server,
  ]);
  expect(trace).toBeConnectedTrace();
  expect(trace).toHaveSpanWithParent(server, sent.parentSpanId);
});

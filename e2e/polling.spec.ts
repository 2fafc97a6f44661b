/**
 * No trace from health or status polling, on any service: the launcher's
 * health checks, the page's status strip (GET /status every few seconds), the
 * API's own checks of the inventory, the Collector and Jaeger (its health and
 * what its UI root serves), and the page's trace viewer and trace list. Read
 * from Jaeger after the page has been open for a while.
 */
import { loadStackConfig } from '@tracing-demo/stack';
import { searchSpans, TEST_SERVICE_NAME, waitForTrace, type TraceSpan } from '@tracing-demo/trace-assert';
import { composeEnvironment, isComposeStack } from './compose-stack.ts';
import { expect, stack, test } from './fixtures.ts';
import { pollingSpans } from './polling-spans.ts';
import { apiServerFor, browserFetch, userAction } from './selectors.ts';

/**
 * Where the API asks for health: natively the same host as the tests; in
 * compose the Collector, Jaeger and the inventory by service name, as the API
 * container's environment says (their health ports are not published).
 */
const apiSees = isComposeStack ? loadStackConfig(composeEnvironment('api')) : stack;

const HEALTH_URLS = [
  `${stack.api.url}/healthz`,
  `${apiSees.inventory.url}/healthz`,
  apiSees.collector.healthUrl,
  apiSees.jaeger.healthUrl,
];
/** What the test polls itself, like the launcher; in compose, Docker's health checks poll the rest every few seconds. */
const POLLED_HERE = isComposeStack ? HEALTH_URLS.slice(0, 1) : HEALTH_URLS;
/** Every URL the API asks for the page's status strip, trace viewer and trace list: Jaeger's included. */
const POLLING_URLS = [...HEALTH_URLS, apiSees.jaeger.uiUrl];

function span(name: string, attributes: TraceSpan['attributes']): TraceSpan {
  return { name, attributes } as TraceSpan;
}

test('the polling-span check flags health and status requests and nothing else', () => {
  const flagged = [
    span('GET', { 'url.path': '/healthz' }),
    span('GET', { 'http.target': '/healthz?probe=1' }),
    span('GET /status', {}),
    span('GET', { 'url.path': '/traces/0af7651916cd43dd8448eb211c80319c' }),
    span('GET', { 'url.full': apiSees.collector.healthUrl }),
    span('GET', { 'url.full': `${apiSees.jaeger.healthUrl}` }),
    span('GET', { 'url.path': '/traces' }),
    span('GET /traces', { 'url.path': '/traces', 'url.query': 'service=e2e' }),
    span('GET', { 'url.full': `${apiSees.jaeger.uiUrl}/` }),
    span('GET', { 'url.full': `${apiSees.jaeger.uiUrl}/api/v3/services` }),
  ];
  const kept = [
    span('GET /', { 'url.path': '/', 'http.route': '/' }),
    span('GET /items/:id', { 'url.path': '/items/5', 'http.route': '/items/:id' }),
    span('GET', { 'url.full': `${apiSees.inventory.url}/stock/5` }),
    span('GET', { 'url.path': '/healthzX' }),
    span('GET', { 'url.path': '/statusX' }),
    span('GET', { 'url.path': '/tracesX' }),
    span('POST', { 'url.full': `${stack.collector.httpTracesUrl}` }),
    span('SELECT items', { 'db.query.text': 'SELECT id FROM items WHERE id = ?' }),
  ];
  expect(pollingSpans(flagged, POLLING_URLS)).toHaveLength(flagged.length);
  expect(pollingSpans(kept, POLLING_URLS)).toEqual([]);
});

test('Jaeger holds no trace of a health check or a status poll', async ({ demo, page }) => {
  test.setTimeout(60_000);
  // Since the shared stack started (CI) or at least the last quarter hour (a reused stack).
  const since = new Date(Date.now() - 15 * 60_000);
  // The page's status strip polls GET /status at once and then every few seconds: see two polls.
  const statusPolls = (async () => {
    for (let i = 0; i < 2; i++)
      await page.waitForRequest((r) => new URL(r.url()).pathname === '/status', { timeout: 15_000 });
  })();
  // Every health URL, polled like the launcher does.
  for (const url of POLLED_HERE) expect((await fetch(url)).ok, url).toBe(true);
  await statusPolls;
  // The trace list, shown and refreshed: GET /traces twice.
  const listed = page.waitForRequest((r) => new URL(r.url()).pathname === '/traces');
  await page.getByTestId('trace-list-link').click();
  await listed;
  const refreshed = page.waitForRequest((r) => new URL(r.url()).pathname === '/traces');
  await page.getByTestId('trace-list-refresh').click();
  await refreshed;
  await expect(page.getByTestId('trace-list')).toHaveAttribute('data-state', 'loaded');
  await page.getByRole('link', { name: 'Actions' }).click();

  // A traced click afterwards: once its spans are in Jaeger, any span the
  // polls made before it has been exported too (each exporter sends in order).
  const sent = await demo.sayHello();
  await expect(demo.status).toHaveText('200');
  await waitForTrace({
    jaegerUrl: stack.jaeger.uiUrl,
    traceId: sent.traceId,
    expect: [userAction, browserFetch, apiServerFor('/')],
  });

  for (const service of ['web', 'api', 'inventory']) {
    // The search answers whole traces; with test tracing they include the
    // tests' own spans (service e2e), named after test titles that may name a
    // path (`GET /status … make no span`): not requests, so not polling.
    const spans = (await searchSpans(stack.jaeger.uiUrl, { service, since })).filter(
      (s) => s.service !== TEST_SERVICE_NAME,
    );
    if (service !== 'inventory')
      expect(
        spans.some((s) => s.traceId === sent.traceId),
        `${service}: the search finds the click`,
      ).toBe(true);
    const polled = pollingSpans(spans, POLLING_URLS).map(
      (s) =>
        `${service}: ${s.name} ${JSON.stringify(s.attributes['url.path'] ?? s.attributes['url.full'])} (trace ${s.traceId})`,
    );
    expect(polled, `spans made by polling, out of ${spans.length} ${service} spans`).toEqual([]);
  }
});

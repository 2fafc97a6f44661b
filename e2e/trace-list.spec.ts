/**
 * The page's trace list (#/traces): the recent traces of every service read
 * from the real Jaeger through the API's GET /traces, filtered by service
 * (`e2e` included), each opening the waterfall; and "Open in Jaeger", which
 * must never lead to the placeholder page a Jaeger built without its UI
 * serves (the native path).
 */
import { randomBytes } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { checked, TraceListSchema } from '@tracing-demo/contracts';
import { waitForTrace, type Trace } from '@tracing-demo/trace-assert';
import { isComposeStack } from './compose-stack.ts';
import { expect, expectedTraceHref, stack, stackStatus, test } from './fixtures.ts';
import { apiServer, browserFetch, userAction } from './selectors.ts';

/** What the Go-built Jaeger serves at its UI root instead of the Jaeger UI. */
// Each action here must be a trace of its own, drawn whole from the list: with
// test tracing on it would be a branch of the test's trace, whose root reaches
// Jaeger only when the test ends (as in three-services.spec.ts). The `e2e`
// filter is still tested: sendTestSpan sends an `e2e` span itself.
test.use({ testTracing: false });

const PLACEHOLDER = 'not the Jaeger UI you are looking for';
/** The service of test spans (trace-assert's test tracing names its spans so too). */
const E2E_SERVICE = 'e2e';

/**
 * One span of service `e2e`, sent to the real Collector over OTLP/HTTP like
 * any exporter does: the list must offer and filter the test runs' service
 * whether or not this run traces its tests.
 */
async function sendTestSpan(name: string): Promise<string> {
  const traceId = randomBytes(16).toString('hex');
  const endNs = BigInt(Date.now()) * 1_000_000n;
  const span = {
    traceId,
    spanId: randomBytes(8).toString('hex'),
    name,
    kind: 1,
    startTimeUnixNano: String(endNs - 5_000_000n),
    endTimeUnixNano: String(endNs),
  };
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: E2E_SERVICE } }] };
  const response = await fetch(stack.collector.httpTracesUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        { resource, scopeSpans: [{ scope: { name: 'e2e/trace-list.spec.ts' }, spans: [span] }] },
      ],
    }),
  });
  expect(response.ok, `the Collector took the span (${response.status})`).toBe(true);
  await waitForTrace({ jaegerUrl: stack.jaeger.uiUrl, traceId, expect: [{ service: E2E_SERVICE, name }] });
  return traceId;
}

/** The list's line of the trace `traceId`. */
const row = (page: Page, traceId: string): Locator =>
  page.locator(`[data-testid="trace-list-row"][data-trace-id="${traceId}"]`);

/** Opens the trace list from the page's navigation and waits for it to load. */
async function openList(page: Page): Promise<Locator> {
  await page.getByTestId('trace-list-link').click();
  await expect(page).toHaveURL(/#\/traces$/);
  const list = page.getByTestId('trace-list');
  await expect(list).toHaveAttribute('data-state', 'loaded');
  return list;
}

/** Picks `value` in one of the list's selects and waits for the list that answers it. */
async function choose(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).selectOption(value);
  await expect(page.getByTestId('trace-list')).toHaveAttribute('data-state', 'loaded');
}

/** The waterfall of `trace`, drawn in the trace list's panel. */
async function expectWaterfallOf(page: Page, trace: Trace): Promise<void> {
  const waterfall = page.getByTestId('waterfall');
  // Up to the API's wait for a complete trace (10 s) and the drawing.
  await expect(waterfall).toHaveAttribute('data-trace-id', trace.traceId, { timeout: 20_000 });
  await expect(waterfall.getByTestId('waterfall-row')).toHaveCount(trace.spans.length);
}

test('the trace list shows the traces of web and api, filters by service and opens a waterfall', async ({
  demo,
  page,
  traceOf,
}) => {
  test.setTimeout(90_000);
  const hello = await demo.sayHello();
  await expect(demo.status).toHaveText('200');
  const item = await demo.getItem('7', 'listed');
  await expect(demo.status).toHaveText('200');
  const [{ trace: helloTrace }, { trace: itemTrace }] = await Promise.all([
    traceOf(hello, [userAction, browserFetch, apiServer]),
    traceOf(item, [userAction, browserFetch, apiServer, { service: 'inventory', kind: 'SERVER' }]),
  ]);
  const e2eTraceId = await sendTestSpan('trace list: a test span');

  const list = await openList(page);
  // The filter offers every service Jaeger reports, the test runs' included.
  const options = await page.getByTestId('trace-list-service').locator('option').allTextContents();
  expect(options).toEqual(expect.arrayContaining(['All services', 'web', 'api', 'inventory', E2E_SERVICE]));
  // Every service's traces, newest first: what the API answers, drawn line for line.
  const rows = list.getByTestId('trace-list-row');
  expect(await rows.count()).toBeGreaterThan(0);
  const starts = await rows
    .locator('time')
    .evaluateAll((els) => els.map((el) => el.getAttribute('datetime')!));
  expect([...starts].sort().reverse()).toEqual(starts);

  // The page's own traces, under web (100 lines, so parallel specs cannot push them out).
  await choose(page, 'trace-list-limit', '100');
  await choose(page, 'trace-list-service', 'web');
  await expect(list).toHaveAttribute('data-service', 'web');
  for (const trace of [helloTrace, itemTrace]) {
    const line = row(page, trace.traceId);
    await expect(line).toBeVisible();
    const root = trace.spans.find((span) => span.name.startsWith('user_action '))!;
    await expect(line).toHaveAttribute('data-service', 'web');
    await expect(line).toContainText(root.name);
    await expect(line).toHaveAttribute('data-span-count', String(trace.spans.length));
    await expect(line).toHaveAttribute('data-error-count', '0');
  }
  // The root's service first; the others by start time, which two processes' clocks may order either way.
  await expect(row(page, itemTrace.traceId)).toHaveAttribute(
    'data-services',
    /^web (api inventory|inventory api)$/,
  );
  for (const services of await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-services')!)))
    expect(services.split(' ')).toContain('web');
  await expect(row(page, e2eTraceId)).toHaveCount(0);

  // Only the test span's trace under e2e; the page's are gone.
  await choose(page, 'trace-list-service', E2E_SERVICE);
  await expect(row(page, e2eTraceId)).toBeVisible();
  await expect(row(page, e2eTraceId)).toHaveAttribute('data-service', E2E_SERVICE);
  await expect(row(page, itemTrace.traceId)).toHaveCount(0);

  // Under inventory: the item's trace, not the hello's (which never reached the inventory).
  await choose(page, 'trace-list-service', 'inventory');
  await expect(row(page, itemTrace.traceId)).toBeVisible();
  await expect(row(page, helloTrace.traceId)).toHaveCount(0);

  // A line opens the same waterfall the actions view draws, and says which it is.
  await row(page, itemTrace.traceId).click();
  await expect(page).toHaveURL(new RegExp(`#/traces/${itemTrace.traceId}$`));
  await expect(row(page, itemTrace.traceId)).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('heading', { name: 'Trace', exact: true })).toBeFocused();
  await expectWaterfallOf(page, itemTrace);

  // By keyboard: a line is a link, reached with Tab and opened with Enter; Back returns.
  await choose(page, 'trace-list-service', 'web');
  const helloRow = row(page, helloTrace.traceId);
  await helloRow.focus();
  await expect(helloRow).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/traces/${helloTrace.traceId}$`));
  await expectWaterfallOf(page, helloTrace);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`#/traces/${itemTrace.traceId}$`));
  await expectWaterfallOf(page, itemTrace);
});

test('at phone width the trace list and a waterfall fit without horizontal scrolling', async ({
  demo,
  page,
  traceOf,
}) => {
  await page.setViewportSize({ width: 375, height: 740 });
  const sent = await demo.getItem('8', 'phone');
  const { trace } = await traceOf(sent, [userAction, browserFetch, apiServer]);
  await page.goto(`/#/traces/${trace.traceId}`);
  await expect(page.getByTestId('trace-list')).toHaveAttribute('data-state', 'loaded');
  await expectWaterfallOf(page, trace);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
});

test("GET /status says what Jaeger serves at its UI root; natively, Jaeger's placeholder page", async () => {
  const status = await stackStatus();
  const root = await (await fetch(`${stack.jaeger.uiUrl}/`)).text();
  const served = root.includes(PLACEHOLDER)
    ? 'placeholder'
    : root.includes('id="jaeger-ui-root"')
      ? 'real'
      : 'unknown';
  expect(status.jaegerUi).toBe(served);
  // The Go-built Jaeger of the native path has no UI; compose may run the official image (with it).
  if (!isComposeStack) expect(status.jaegerUi).toBe('placeholder');
});

test('no link on the page leads to Jaeger\'s placeholder; where Jaeger has no UI, "Open trace" opens the trace list', async ({
  demo,
  page,
  traceOf,
}) => {
  const sent = await demo.getItem('9', 'links');
  const { trace } = await traceOf(sent, [userAction, browserFetch, apiServer]);
  await expect(demo.traceJaegerLink).toBeVisible();

  /** Every link of the page as it is now, fetched: none may answer the placeholder. */
  const expectNoPlaceholderLinks = async () => {
    const hrefs = await page
      .locator('a[href]')
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of new Set(hrefs)) {
      const body = await (await fetch(href)).text();
      expect(body, `${href} is Jaeger's placeholder page`).not.toContain(PLACEHOLDER);
    }
  };
  // Both links of the trace, once the page knows what Jaeger serves.
  const status = await stackStatus();
  for (const link of [demo.jaegerLink, demo.traceJaegerLink]) {
    await expect(link).toHaveAttribute('href', await expectedTraceHref(trace.traceId));
  }
  await expectNoPlaceholderLinks();
  if (status.jaegerUi === 'real') return;

  // The link opens the trace list, in place, with this trace drawn.
  await demo.jaegerLink.click();
  await expect(page).toHaveURL(new RegExp(`#/traces/${trace.traceId}$`));
  await expect(page.getByTestId('trace-list')).toHaveAttribute('data-state', 'loaded');
  await expectWaterfallOf(page, trace);
  await expectNoPlaceholderLinks();
  // The list is where the trace already is: its panel links nowhere else.
  await expect(demo.traceJaegerLink).toHaveCount(0);
});

test('GET /traces answers the contract from the real Jaeger, and a 400 naming a bad parameter', async ({
  request,
}) => {
  const good = await request.get(`${stack.api.url}/traces?limit=5`);
  expect(good.status()).toBe(200);
  expect(checked(TraceListSchema, await good.json(), 'The list').traces.length).toBeLessThanOrEqual(5);
  const bad = await request.get(`${stack.api.url}/traces?limit=500`);
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ statusCode: 400, message: 'querystring/limit must be <= 100' });
});

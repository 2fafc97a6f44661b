/**
 * Three services deep, drawn in the page: every scenario control gives one
 * trace web → api → inventory (→ SQLite) in Jaeger with the expected
 * services, parent links, status and attributes, and the page's waterfall
 * draws exactly the spans Jaeger holds.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, Request } from '@playwright/test';
import { checked, ErrorSchema, ItemSchema } from '@tracing-demo/contracts';
import { DEFAULTS } from '@tracing-demo/stack';
import { REPO_ROOT } from '@tracing-demo/stack/processes';
import { captureAllTraceContexts, captureTraceContext, type Trace } from '@tracing-demo/trace-assert';
import { composeLogLines, isComposeStack } from './compose-stack.ts';
import { expect, expectedTraceHref, stack, test, toApi } from './fixtures.ts';
import {
  apiClient,
  apiServer,
  apiServerFor,
  browserFetch,
  inventoryDb,
  inventoryServer,
  userAction,
} from './selectors.ts';

// The page's own view of each action's trace, as a user sees it: the page
// draws it once Jaeger holds every span the page knows the action made (its
// user action, fetch and the API's SERVER span) in one tree. Under test
// tracing (the project's default) the action is a branch of the test's trace,
// whose root span reaches Jaeger only when the test ends: the page draws that
// branch, and `traceOf` cuts the same branch out of Jaeger's trace.

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

/** The scenario controls of the page, by test id. */
const click = (page: Page, testId: string) => () => page.getByTestId(testId).click();

/** The body the result panel shows, parsed. */
async function resultBody(page: Page): Promise<unknown> {
  return JSON.parse((await page.getByTestId('result-body').textContent()) ?? '') as unknown;
}

/** The waterfall of the trace `traceId`, once the page has drawn it. */
async function drawnWaterfall(page: Page, traceId: string) {
  const waterfall = page.getByTestId('waterfall');
  await expect(waterfall).toHaveAttribute('data-trace-id', traceId, { timeout: 20_000 });
  await expect(waterfall).toHaveAttribute('data-complete', 'true');
  return waterfall;
}

/** The page's untraced `GET /traces/:traceId` request to the API. */
const isTraceRequest = (request: Request): boolean => {
  const url = new URL(request.url());
  return url.origin === new URL(stack.api.url).origin && url.pathname.startsWith('/traces/');
};

/** The page draws one row per span of the trace, at least one row per service in it. */
async function expectWaterfallMatches(page: Page, trace: Trace): Promise<void> {
  const waterfall = await drawnWaterfall(page, trace.traceId);
  const rows = waterfall.getByTestId('waterfall-row');
  await expect(rows).toHaveCount(trace.spans.length);
  const drawnIds = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-span-id')));
  expect(new Set(drawnIds)).toEqual(new Set(trace.spans.map((span) => span.spanId)));
  for (const service of new Set(trace.spans.map((span) => span.service))) {
    await expect(
      waterfall.locator(`[data-testid="waterfall-row"][data-service="${service}"]`).first(),
    ).toBeVisible();
  }
}

test('happy path: web → api → inventory → SQLite in one trace, drawn in the page', async ({
  page,
  traceOf,
}, testInfo) => {
  await page.getByTestId('item-id').fill('5');
  await page.getByTestId('item-q').fill('');
  const traceRequest = page.waitForRequest(isTraceRequest);
  const sent = await captureTraceContext(page, click(page, 'item-button'), { url: toApi });
  await expect(page.getByTestId('result-status')).toHaveText('200');
  await expect(page.getByTestId('result-body')).toContainText('"stock"');
  // The answer the page got is the contract's, checked with the schema the API answered with.
  expect(checked(ItemSchema, await resultBody(page), 'GET /items/5')).toMatchObject({ item_id: 5, q: null });

  const server = apiServerFor('/items/:id');
  const inventory = { ...inventoryServer, attributes: { 'http.route': '/stock/:id' } };
  const db = {
    ...inventoryDb,
    attributes: {
      'db.system.name': 'sqlite',
      'db.operation.name': 'SELECT',
      // Parameters are bound, never inlined into the query text.
      'db.query.text': (value: unknown) =>
        typeof value === 'string' && value.includes('?') && !/\b5\b/.test(value),
    },
  };
  const { trace } = await traceOf(sent, [userAction, browserFetch, server, apiClient, inventory, db]);

  expect(trace).toBeConnectedTrace();
  expect(trace).toHaveSpanWithParent(server, sent.parentSpanId);
  // The API's outgoing call is the parent of the inventory's SERVER span: the
  // traceparent crossed the second hop too.
  expect(trace).toHaveChildSpan(apiClient, inventory);
  expect(trace).toHaveSpan({ ...apiClient, attributes: { 'http.response.status_code': 200 } });
  expect(trace).not.toHaveErrorSpan({});

  // The page asked for the trace naming the spans it knew the action made: its
  // user action, the fetch span of the traceparent it sent, and the SERVER span
  // the API named in Server-Timing. The trace is not complete without them.
  const known = new URL((await traceRequest).url()).searchParams.get('span_ids')?.split(',');
  const apiServerSpan = trace.spans.find((span) => span.service === 'api' && span.kind === 'SERVER');
  expect(known).toEqual([
    trace.span(sent.parentSpanId)?.parentSpanId,
    sent.parentSpanId,
    apiServerSpan?.spanId,
  ]);

  await expectWaterfallMatches(page, trace);
  await expect(page.getByTestId('jaeger-link')).toHaveAttribute(
    'href',
    await expectedTraceHref(sent.traceId),
  );
  await testInfo.attach('page after the happy path', {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
});

test('unknown item: the inventory answers 404 and the API passes it on as 404', async ({
  page,
  traceOf,
  browserErrors,
}) => {
  browserErrors.allow(/status of 404/);
  const sent = await captureTraceContext(page, click(page, 'unknown-item-button'), { url: toApi });
  await expect(page.getByTestId('result-status')).toHaveText('404');
  await expect(page.getByTestId('error-message')).toContainText('not found');
  expect(checked(ErrorSchema, await resultBody(page), 'the 404')).toMatchObject({ statusCode: 404 });

  const server = { ...apiServerFor('/items/:id'), attributes: { 'http.response.status_code': 404 } };
  const inventory = { ...inventoryServer, attributes: { 'http.response.status_code': 404 } };
  const { trace } = await traceOf(sent, [
    userAction,
    browserFetch,
    server,
    apiClient,
    inventory,
    inventoryDb,
  ]);
  expect(trace).toBeConnectedTrace();
  expect(trace).toHaveChildSpan(apiClient, inventory);
  // A missing item is the client's mistake, not a fault of either server.
  expect(trace).not.toHaveErrorSpan(apiServer);
  expect(trace).not.toHaveErrorSpan(inventoryServer);
  await expectWaterfallMatches(page, trace);
});

test('invalid id: 400 from the API, and the request never reaches the inventory', async ({
  page,
  traceOf,
  browserErrors,
}) => {
  browserErrors.allow(/status of 400/);
  const sent = await captureTraceContext(page, click(page, 'invalid-id-button'), { url: toApi });
  await expect(page.getByTestId('result-status')).toHaveText('400');
  await expect(page.getByTestId('error-message')).toContainText('params/id');

  const server = { ...apiServer, attributes: { 'http.response.status_code': 400 } };
  const { trace } = await traceOf(sent, [userAction, browserFetch, server]);
  expect(trace).toHaveSpanWithParent(server, sent.parentSpanId);
  expect(trace).not.toHaveSpan({ service: 'inventory' });
  expect(trace).not.toHaveSpan(apiClient);
  await expectWaterfallMatches(page, trace);
});

test('server error: the 500 is an error span, marked in the waterfall', async ({
  page,
  traceOf,
  browserErrors,
}) => {
  browserErrors.allow(/status of 500/);
  const sent = await captureTraceContext(page, click(page, 'boom-button'), { url: toApi });
  await expect(page.getByTestId('result-status')).toHaveText('500');

  const server = { ...apiServerFor('/boom'), attributes: { 'http.response.status_code': 500 } };
  const { trace } = await traceOf(sent, [userAction, browserFetch, server]);
  expect(trace).toHaveErrorSpan(server);
  await expectWaterfallMatches(page, trace);
  const [serverSpan] = trace.spans.filter((span) => span.service === 'api' && span.kind === 'SERVER');
  await expect(
    page.locator(`[data-testid="waterfall-row"][data-span-id="${serverSpan!.spanId}"]`),
  ).toHaveAttribute('data-error', 'true');
});

test('slow downstream: the latency the user picks shows on the inventory span', async ({ page, traceOf }) => {
  await page.getByTestId('slow-delay-ms').fill('700');
  const sent = await captureTraceContext(page, click(page, 'slow-button'), { url: toApi });
  await expect(page.getByTestId('result-status')).toHaveText('200');

  const { trace } = await traceOf(sent, [userAction, browserFetch, apiServer, apiClient, inventoryServer]);
  expect(trace).toBeConnectedTrace();
  // A lower bound set by the scenario itself (the inventory waits 700 ms), not a timing limit.
  expect(trace).toHaveSpanDuration(inventoryServer, { minMs: 700 });
  expect(trace).toHaveSpanDuration(apiClient, { minMs: 700 });
  expect(trace).toHaveSpan({ ...apiClient, attributes: { 'url.full': /inventory_delay_ms|delay_ms=700/ } });
  await expectWaterfallMatches(page, trace);
});

test('inventory failure: 502 from the API, the trace shows where it broke', async ({
  page,
  traceOf,
  browserErrors,
}) => {
  browserErrors.allow(/status of 502/);
  const sent = await captureTraceContext(page, click(page, 'inventory-fail-button'), { url: toApi });
  await expect(page.getByTestId('result-status')).toHaveText('502');
  await expect(page.getByTestId('error-message')).toContainText('502');

  const inventory = { ...inventoryServer, attributes: { 'http.response.status_code': 500 } };
  const server = { ...apiServerFor('/items/:id'), attributes: { 'http.response.status_code': 502 } };
  const { trace } = await traceOf(sent, [userAction, browserFetch, server, apiClient, inventory]);
  expect(trace).toBeConnectedTrace();
  expect(trace).toHaveChildSpan(apiClient, inventory);
  // Status ERROR and an exception event on both SERVER spans: each service
  // says where it noticed the failure.
  expect(trace).toHaveErrorSpan(inventory);
  expect(trace).toHaveErrorSpan(server);
  await expectWaterfallMatches(page, trace);
});

// A burst's actions are N traces only without test tracing (with it, N branches of the test's).
test.describe('without test tracing', () => {
  test.use({ testTracing: false });

  test('a burst of N parallel requests: N traces, each three services deep', async ({ page, traceOf }) => {
    const count = 6;
    await page.getByTestId('burst-count').fill(String(count));
    const sent = await captureAllTraceContexts(page, click(page, 'burst-button'), {
      url: toApi,
      atLeast: count,
    });
    expect(new Set(sent.map((ctx) => ctx.traceId)).size).toBe(count);
    await expect(page.getByTestId('burst-summary')).toContainText(`${count} of ${count} answered 2xx`);

    const traces = await Promise.all(
      sent.map(async (ctx) => {
        const { trace } = await traceOf(ctx, [
          userAction,
          browserFetch,
          apiServer,
          apiClient,
          inventoryServer,
        ]);
        expect(trace).toHaveSpan(inventoryServer, { times: 1 });
        expect(trace).toHaveChildSpan(apiClient, inventoryServer);
        expect(trace).toBeConnectedTrace();
        return trace;
      }),
    );
    // The page draws one of the burst's traces.
    const drawn = await page.getByTestId('waterfall').getAttribute('data-trace-id', { timeout: 20_000 });
    const shown = traces.find((trace) => trace.traceId === drawn);
    expect(shown, `the drawn trace ${drawn} is one of the burst's`).toBeDefined();
    await expectWaterfallMatches(page, shown!);
  });
});

test('selecting a waterfall row shows its attributes; rows are reachable by keyboard', async ({
  page,
  traceOf,
}) => {
  await page.getByTestId('item-id').fill('9');
  const sent = await captureTraceContext(page, click(page, 'item-button'), { url: toApi });
  const { trace } = await traceOf(sent, [userAction, browserFetch, apiServer, apiClient, inventoryServer]);
  const waterfall = await drawnWaterfall(page, trace.traceId);

  const [dbSpan] = trace.spans.filter((span) => span.service === 'inventory' && span.kind === 'CLIENT');
  const row = waterfall.locator(`[data-testid="waterfall-row"][data-span-id="${dbSpan!.spanId}"]`);
  await row.focus();
  await page.keyboard.press('Enter');
  const details = page.getByTestId('span-details');
  await expect(details).toContainText(dbSpan!.name);
  await expect(details).toContainText('db.system.name');
  await expect(details).toContainText('sqlite');
});

test('the status strip says the Collector and Jaeger are reachable', async ({ page }) => {
  await expect(page.getByTestId('status-collector')).toHaveAttribute('data-reachable', 'true');
  await expect(page.getByTestId('status-jaeger')).toHaveAttribute('data-reachable', 'true');
});

test('at phone width the page and its waterfall fit without horizontal scrolling', async ({
  page,
  traceOf,
}) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.getByTestId('item-id').fill('3');
  const sent = await captureTraceContext(page, click(page, 'item-button'), { url: toApi });
  const { trace } = await traceOf(sent, [userAction, browserFetch, apiServer, apiClient, inventoryServer]);
  await expectWaterfallMatches(page, trace);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
});

test("both services' log lines carry the trace id of the request", async ({ page, traceOf }) => {
  await page.getByTestId('item-id').fill('11');
  const sent = await captureTraceContext(page, click(page, 'item-button'), { url: toApi });
  // The fetch span too: the action's branch is cut at it (it reaches Jaeger last).
  await traceOf(sent, [browserFetch, apiServer, inventoryServer]);
  const logDir = resolve(REPO_ROOT, process.env.LOG_DIR?.trim() || DEFAULTS.LOG_DIR);
  // Natively each service also writes <LOG_DIR>/<service>.log; containers log to stdout only.
  const lines = (service: string) =>
    isComposeStack
      ? composeLogLines(service)
      : readFileSync(resolve(logDir, `${service}.log`), 'utf8').split('\n');
  const linesWith = (service: string, traceId: string) =>
    lines(service).filter((line) => line.includes(`"trace_id":"${traceId}"`));
  await expect.poll(() => linesWith('api', sent.traceId).length).toBeGreaterThan(0);
  await expect.poll(() => linesWith('inventory', sent.traceId).length).toBeGreaterThan(0);
  for (const line of [...linesWith('api', sent.traceId), ...linesWith('inventory', sent.traceId)]) {
    const record = JSON.parse(line) as { trace_id: string; span_id: string };
    expect(record.span_id).toMatch(/^[0-9a-f]{16}$/);
  }
  // Fastify's first line of the request too, though @fastify/otel starts the span after Fastify would write it.
  for (const service of ['api', 'inventory']) {
    const messages = linesWith(service, sent.traceId).map(
      (line) => (JSON.parse(line) as { msg: string }).msg,
    );
    expect(messages, service).toContain('incoming request');
  }
  // The same search for a trace id nobody used finds nothing: the check can fail.
  expect(linesWith('api', '0'.repeat(31) + '1')).toHaveLength(0);
});

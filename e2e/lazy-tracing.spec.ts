/**
 * The page loads its tracing SDK lazily (web/src/tracing.ts imports the chunk
 * of web/src/telemetry/tracing-sdk.ts after the app starts). What that must not cost:
 *
 * - a click made before the chunk arrived is still ONE trace, web → api;
 * - the page's own load is still traced (documentLoad, recorded late);
 * - and the API's untraced helper routes stay untraced from the page: no
 *   CLIENT span, no `traceparent`, no span at all in anything it exports.
 *
 * Nothing is stubbed: the SDK chunk's real request is only held back, and the
 * page's exports are read from its real requests to the Collector.
 */
import type { Page, Request } from '@playwright/test';
import { actionTrace, captureTraceContext, findSpans, type TraceSpan } from '@tracing-demo/trace-assert';
import { parseOtlpSpans } from '@tracing-demo/trace-assert/otlp-json';
import { isUntracedApiPath } from '@tracing-demo/stack';
import { DemoPage, expect, stack, test, toApi } from './fixtures.ts';
import { apiServerFor, browserFetch, userAction } from './selectors.ts';

/** The lazily imported SDK: its built chunk (preview, the tests' mode), or its module under the dev server. */
const SDK_CHUNK = /\/(?:assets\/tracing-sdk-[^/]*\.js|src\/telemetry\/tracing-sdk\.ts)(?:\?|$)/;
/** How long the SDK chunk's request is held: far longer than the page takes to show its buttons. */
const SDK_DELAY_MS = 2000;

const apiBase = stack.api.url.replace(/\/+$/, '');
const collectorUrl = new URL(stack.collector.httpTracesUrl).href;

/** GET / of the API, the request of the "GET /" button. */
const toApiRoot = (url: URL): boolean => toApi(url) && url.pathname === '/';

/** The API's untraced helper routes: `GET /status` and `GET /traces/:traceId`. */
function isHelperRoute(url: URL): boolean {
  return url.origin === new URL(apiBase).origin && isUntracedApiPath(url.pathname);
}

function isHelperUrl(text: string): boolean {
  try {
    return isHelperRoute(new URL(text));
  } catch {
    return false;
  }
}

/**
 * Every span the page hands to its exporter, decoded from the OTLP/HTTP JSON
 * requests it sends to the Collector (read, never altered). Attach it before
 * the page opens to see the page-load spans too.
 */
function recordExportedSpans(page: Page): TraceSpan[] {
  const spans: TraceSpan[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'POST' || request.url() !== collectorUrl) return;
    const body = request.postData();
    if (body) spans.push(...parseOtlpSpans(JSON.parse(body)));
  });
  return spans;
}

test('a click made while the tracing SDK is still loading is one trace, web → api', async ({
  page,
  traceOf,
}) => {
  let requested = 0;
  let released = false;
  // Hold the SDK chunk's real request back, then let it through unchanged.
  await page.route(SDK_CHUNK, async (route) => {
    requested += 1;
    await new Promise((resolve) => setTimeout(resolve, SDK_DELAY_MS));
    released = true;
    await route.continue();
  });
  const demo = new DemoPage(page);
  // Not demo.open(): nothing waits for the load event, the click comes as soon as the button is there.
  await page.goto('/', { waitUntil: 'domcontentloaded' });

  let releasedAtClick: boolean | undefined;
  let zoneAtClick: boolean | undefined;
  const sent = await captureTraceContext(
    page,
    async () => {
      await page.getByTestId('root-button').click();
      releasedAtClick = released;
      zoneAtClick = await page.evaluate(() => 'Zone' in globalThis);
    },
    // The request leaves once the SDK has arrived, up to SDK_DELAY_MS after the click.
    { url: toApiRoot, timeoutMs: SDK_DELAY_MS + 5000 },
  );
  // The scenario really happened: the click came before the SDK (zone.js in it) had arrived.
  expect(requested, 'requests for the SDK chunk (did its file name change?)').toBe(1);
  expect(releasedAtClick, 'the SDK chunk was already released when the click happened').toBe(false);
  expect(zoneAtClick, 'the SDK (zone.js) already ran when the click happened').toBe(false);

  expect(sent.sampled).toBe(true);
  await expect(demo.status).toHaveText('200');
  await expect(demo.traceId).toHaveText(sent.traceId);

  const server = apiServerFor('/');
  const { trace } = await traceOf(sent, [userAction, browserFetch, server]);
  expect(trace).toBeConnectedTrace();
  // The browser's fetch span is a child of the action, and the parent of the API's SERVER span.
  expect(trace).toHaveChildSpan(userAction, browserFetch);
  expect(trace).toHaveSpanWithParent(server, sent.parentSpanId);
  expect(trace).toHaveSpan(browserFetch, { times: 1 });
});

test("the page's own load is traced: a documentLoad trace of service web reaches Jaeger", async ({
  page,
  traces,
  testSpan,
}) => {
  const exported = recordExportedSpans(page);
  await new DemoPage(page).open();

  // The trace id is the page's own: found in what it exported, then read back from Jaeger.
  await expect
    .poll(() => exported.find((span) => span.name === 'documentLoad')?.traceId, {
      message: 'the page exported no documentLoad span',
      timeout: 10_000,
    })
    .toBeDefined();
  const traceId = exported.find((span) => span.name === 'documentLoad')!.traceId;

  const documentLoad = { service: 'web', name: 'documentLoad' } as const;
  const documentFetch = {
    service: 'web',
    name: 'documentFetch',
    attributes: { 'url.full': new URL('/', stack.web.url).href },
  } as const;
  const mainScript = {
    service: 'web',
    name: 'resourceFetch',
    attributes: { 'url.full': /\/(?:assets\/index-[^/]*\.js|src\/main\.tsx)$/ },
  } as const;
  const { trace: whole } = await traces.waitFor(traceId, [documentLoad, documentFetch, mainScript]);
  const [root] = findSpans(whole, documentLoad);
  // The page's load is a root, or, with test tracing, a child of the test's
  // span: document-load continues the traceparent meta the test handed the page.
  if (testSpan) {
    expect(whole).toHaveSpanWithParent(documentLoad, testSpan.spanId);
  } else {
    expect(root!.parentSpanId).toBeUndefined();
  }
  // The load's own spans, as one trace (without the test span, which is exported when the test ends).
  const trace = actionTrace(whole, root!.spanId, testSpan?.spanId);

  expect(trace).toBeConnectedTrace();
  expect(trace).toHaveChildSpan(documentLoad, documentFetch);
  expect(trace).toHaveChildSpan(documentLoad, mainScript);
  // Recorded after the load event, from the browser's Navigation Timing: the
  // milestones are there, and the span ends when the load event did.
  expect(root!.events.map((event) => event.name)).toEqual(
    expect.arrayContaining(['fetchStart', 'domInteractive', 'domContentLoadedEventEnd', 'loadEventEnd']),
  );
  const loadEventEnd = root!.events.find((event) => event.name === 'loadEventEnd')!;
  expect(Math.abs(root!.startMs + root!.durationMs - loadEventEnd.timeMs)).toBeLessThan(5);
});

test('GET /status, GET /traces/:id and GET /traces from the page make no span and send no traceparent', async ({
  page,
  traceOf,
}) => {
  const exported = recordExportedSpans(page);
  const helperRequests: { request: Request; traceparent: Promise<string | null> }[] = [];
  page.on('request', (request) => {
    if (isHelperRoute(new URL(request.url())))
      helperRequests.push({ request, traceparent: request.headerValue('traceparent') });
  });
  const statusUrl = `${apiBase}/status`;
  // A /status made while the page loads: its Resource Timing entry is what the
  // document-load instrumentation would turn into a resourceFetch span.
  await page.addInitScript((url) => {
    void fetch(url).catch(() => {});
  }, statusUrl);
  const demo = new DemoPage(page);
  await demo.open();

  // The instrumentation is active on this page: a traced request carries a traceparent.
  const first = await captureTraceContext(page, () => page.getByTestId('root-button').click(), {
    url: toApiRoot,
  });
  await traceOf(first, [userAction, browserFetch, apiServerFor('/')]);

  // The helper routes, through the page's own (instrumented) fetch, as the app calls them.
  const tracesUrl = `${apiBase}/traces/${first.traceId}?wait_ms=1000`;
  const listUrl = `${apiBase}/traces?limit=1`;
  await page.evaluate(
    async (urls) => {
      for (const url of urls) await (await fetch(url)).text();
    },
    [statusUrl, tracesUrl, listUrl],
  );

  // A traced request after them: once its fetch span is exported, a span of the
  // helper requests (ended earlier: the instrumentation ends a fetch span a
  // fixed time after its response) would have been exported too.
  const last = await captureTraceContext(page, () => page.getByTestId('root-button').click(), {
    url: toApiRoot,
  });
  // Its fetch span by id (the parent the request named): with test tracing,
  // both clicks share the test's trace id.
  await expect
    .poll(() => exported.some((span) => span.kind === 'CLIENT' && span.spanId === last.parentSpanId), {
      message: 'the fetch span of the last click was not exported',
      timeout: 10_000,
    })
    .toBe(true);

  // The page's load was exported too (so its resourceFetch spans were checked below).
  expect(exported.some((span) => span.name === 'documentLoad')).toBe(true);
  // At least the load-time /status, then /status, /traces/:id and /traces.
  expect(helperRequests.map(({ request }) => new URL(request.url()).pathname)).toEqual(
    expect.arrayContaining(['/status', `/traces/${first.traceId}`, '/traces']),
  );
  expect(helperRequests.length).toBeGreaterThanOrEqual(4);
  for (const { request, traceparent } of helperRequests) {
    expect(await traceparent, `traceparent sent with ${request.url()}`).toBeNull();
  }
  const helperSpans = exported
    .filter((span) => isHelperUrl(String(span.attributes['url.full'] ?? '')))
    .map((span) => `${span.name} (${span.kind}) ${String(span.attributes['url.full'])}`);
  expect(helperSpans, 'spans the page exported for the untraced helper routes').toEqual([]);
});

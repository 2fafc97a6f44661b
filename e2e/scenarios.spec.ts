/**
 * Every hop, proven from the browser: happy paths with their semantic
 * conventions, 4xx and 5xx, a user action whose fetches straddle an `await`,
 * and 20 concurrent actions that must not mix their traces.
 */
import { findSpans } from '@tracing-demo/trace-assert';
import { expect, stack, test } from './fixtures.ts';
import { apiServer, apiServerFor, browserFetch, userAction } from './selectors.ts';

const apiHost = new URL(stack.api.url).hostname;

for (const route of [
  { name: 'GET /', route: '/', act: 'sayHello', path: '/', urlPath: '/', apiSpans: 1 },
  // The SERVER span and its call to the inventory.
  {
    name: 'GET /items/:id',
    route: '/items/:id',
    act: 'getItem',
    path: '/items/7?q=stable',
    urlPath: '/items/7',
    apiSpans: 2,
  },
] as const) {
  test(`${route.name}: browser fetch → the API's one SERVER span, stable attributes`, async ({
    demo,
    traceOf,
  }) => {
    const sent = route.act === 'sayHello' ? await demo.sayHello() : await demo.getItem('7', 'stable');
    await expect(demo.status).toHaveText('200');

    const server = { ...apiServerFor(route.route), name: `GET ${route.route}` };
    const { trace } = await traceOf(sent, [userAction, browserFetch, server]);

    expect(trace).toBeConnectedTrace();
    expect(trace).toHaveChildSpan(userAction, browserFetch);
    expect(trace).toHaveSpan({
      ...browserFetch,
      attributes: {
        'http.request.method': 'GET',
        'url.full': `${stack.api.url}${route.path}`,
        'http.response.status_code': 200,
      },
    });
    expect(trace).toHaveSpanWithParent(server, sent.parentSpanId);
    expect(trace).toHaveSpan({
      ...server,
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'url.path': route.urlPath,
        'server.address': apiHost,
      },
    });
    // One span per request on the API (no `request` / `handler - …` spans
    // under it any more), plus its CLIENT span when it calls the inventory.
    expect(trace).toHaveSpan(apiServer, { times: 1 });
    expect(trace).toHaveSpan({ service: 'api' }, { times: route.apiSpans });
  });
}

test('the trace id the API returns in Server-Timing is the one the browser sent', async ({ demo }) => {
  const sent = await demo.getItem('5', 'somequery');
  await expect(demo.serverTraceId).toHaveText(sent.traceId);
  await expect(demo.traceId).toHaveText(sent.traceId);
});

test('400: the status is recorded on both sides and the page explains it', async ({
  demo,
  traceOf,
  browserErrors,
}) => {
  browserErrors.allow(/status of 400/);
  const sent = await demo.getItem('not-a-number', '');
  await expect(demo.error).toHaveText('400 Bad Request: params/id must be integer');

  const server = { ...apiServer, attributes: { 'http.response.status_code': 400 } };
  const { trace } = await traceOf(sent, [
    { ...browserFetch, attributes: { 'http.response.status_code': 400 } },
    server,
  ]);
  expect(trace).toHaveSpanWithParent(server, sent.parentSpanId);
  // A client error is not a server fault: the SERVER span is not an error.
  expect(trace).not.toHaveErrorSpan(apiServer);
});

test('500: the SERVER span has error status and an exception event; the page says so', async ({
  demo,
  traceOf,
  browserErrors,
}) => {
  browserErrors.allow(/status of 500/);
  const sent = await demo.serverError();
  await expect(demo.error).toContainText('500 Internal Server Error');

  const server = { ...apiServerFor('/boom'), attributes: { 'http.response.status_code': 500 } };
  const { trace } = await traceOf(sent, [
    { ...browserFetch, attributes: { 'http.response.status_code': 500 } },
    server,
  ]);
  expect(trace).toBeConnectedTrace();
  expect(trace).toHaveSpanWithParent(server, sent.parentSpanId);
  expect(trace).toHaveErrorSpan(server);
});

test('a user action is the parent of every fetch it makes, also after an await', async ({
  demo,
  traceOf,
}) => {
  const [first, second] = await demo.twoCallsOneAction();
  expect(second!.traceId).toBe(first!.traceId);
  await expect(demo.status).toHaveText('200');

  const { trace } = await traceOf(first!, [
    userAction,
    { selector: browserFetch, times: 2 },
    { selector: apiServer, times: 2 },
  ]);
  expect(trace).toBeConnectedTrace();
  const [action] = findSpans(trace, userAction);
  const fetches = findSpans(trace, browserFetch);
  expect(fetches).toHaveLength(2);
  // DIRECT children of the action span, the second one issued after an await.
  for (const fetchSpan of fetches) expect(fetchSpan.parentSpanId).toBe(action!.spanId);
  expect(trace).toHaveSpanWithParent(apiServerFor('/'), first!.parentSpanId);
  expect(trace).toHaveSpanWithParent(apiServerFor('/items/:id'), second!.parentSpanId);
});

test.describe('without test tracing', () => {
  // One trace per action is the subject here; under test tracing every action
  // of a test joins the test's trace (see three-services.spec.ts), so the
  // burst runs as a user's clicks do, each action the root of its own trace.
  test.use({ testTracing: false });

  test('20 actions at once give 20 distinct, complete traces, none cross-linked', async ({
    demo,
    traceOf,
  }) => {
    const sent = await demo.burst(20);
    expect(sent).toHaveLength(20);
    expect(new Set(sent.map((ctx) => ctx.traceId)).size).toBe(20);
    await expect(demo.burstSummary).toHaveText('Burst: 20 of 20 answered 2xx, in 20 distinct traces.');

    await Promise.all(
      sent.map(async (ctx) => {
        const server = apiServerFor('/items/:id');
        const { trace } = await traceOf(ctx, [userAction, browserFetch, server]);
        // Exactly one of each: a span from another action would show up here.
        expect(trace).toHaveSpan(userAction, { times: 1 });
        expect(trace).toHaveSpan(browserFetch, { times: 1 });
        expect(trace).toHaveSpan(server, { times: 1 });
        expect(trace).toHaveSpanWithParent(server, ctx.parentSpanId);
        expect(trace).toBeConnectedTrace();
      }),
    );
  });
});

/**
 * Test runs as traces (trace-assert's `testTracing`): the test is the root of
 * the trace the app's own browser SDK continues, and the app's propagation is
 * untouched. The first test clicks; the second, once the first has ended and
 * its span was exported, reads the whole trace back from Jaeger:
 *
 *   e2e test span → web user_action → web fetch (CLIENT) → api SERVER → … →
 *   api CLIENT → inventory SERVER → … → inventory SQLite CLIENT
 *
 * with the API's SERVER span the direct child of the browser's fetch span,
 * whose id is the parent id in the `traceparent` the app sent.
 */
import type { CapturedTraceContext, TestSpanContext, TraceSpan } from '@tracing-demo/trace-assert';
import { expect, test } from './fixtures.ts';
import {
  apiClient,
  apiServerFor,
  browserFetch,
  inventoryDb,
  inventoryServer,
  testIds,
  userAction,
} from './selectors.ts';

// On whatever the project says: this spec is the contract of test tracing itself.
test.use({ testTracing: true });
// The second test reads the first one's trace: same worker, in order.
test.describe.configure({ mode: 'serial' });

const CLICK_TEST = 'a traced test clicks: GET /items/5 through three services';
let clicked: { testSpan: TestSpanContext; sent: CapturedTraceContext } | undefined;

const testRoot = { service: 'e2e', attributes: { 'playwright.test.title': CLICK_TEST } } as const;
const documentLoad = { service: 'web', name: 'documentLoad' } as const;
const apiServer = apiServerFor('/items/:id');

test(CLICK_TEST, async ({ demo, testSpan, traceOf }) => {
  expect(testSpan, 'testTracing is on').toBeDefined();
  const sent = await demo.getItem('5', 'traced');
  await expect(demo.status).toHaveText('200');
  // The request continues the test's trace, but names the browser's own span
  // as its parent: the test handed the page a context, not a header.
  expect(sent.traceId).toBe(testSpan!.traceId);
  expect(sent.parentSpanId).not.toBe(testSpan!.spanId);
  expect(await sent.request.headerValue('traceparent')).toBe(sent.traceparent);
  await traceOf(sent, [userAction, browserFetch, apiServer, apiClient, inventoryServer, inventoryDb]);
  // The page's own trace panel calls the trace complete although the test's
  // span (its root) is not in Jaeger until this test ends: the page asks for
  // the trace below the span its traceparent meta names.
  const waterfall = demo.page.getByTestId(testIds.waterfall);
  await expect(waterfall).toHaveAttribute('data-trace-id', sent.traceId, { timeout: 20_000 });
  await expect(waterfall).toHaveAttribute('data-complete', 'true');
  clicked = { testSpan: testSpan!, sent };
});

test('Jaeger holds the click as one trace whose root is the test span', async ({ traces }) => {
  expect(clicked, 'the clicking test ran first').toBeDefined();
  const { testSpan, sent } = clicked!;
  // The test span is exported when its test ends: wait for it with the rest.
  const { trace } = await traces.waitFor(testSpan.traceId, [
    testRoot,
    documentLoad,
    userAction,
    browserFetch,
    apiServer,
    apiClient,
    inventoryServer,
    inventoryDb,
  ]);

  expect(trace).toBeConnectedTrace();
  const [root] = trace.roots();
  expect(root?.spanId).toBe(testSpan.spanId);
  expect(root).toMatchObject({
    service: 'e2e',
    name: CLICK_TEST,
    status: { code: 'UNSET' },
    attributes: {
      'playwright.project.name': 'traces',
      'playwright.test.retry': 0,
      'playwright.test.status': 'passed',
      'test.case.result.status': 'pass',
      'code.file.path': expect.stringMatching(/e2e[\\/]test-trace\.spec\.ts$/),
    },
  });

  // The test span is the parent of the page's user action (and of its load).
  expect(trace).toHaveSpanWithParent(userAction, testSpan.spanId);
  expect(trace).toHaveSpanWithParent(documentLoad, testSpan.spanId);
  // The app's traceparent is the one the browser SDK made: its parent id is
  // the browser's fetch span, a child of the user action, not the test span.
  const fetchSpan = trace.span(sent.parentSpanId);
  expect(fetchSpan).toMatchObject({
    service: 'web',
    kind: 'CLIENT',
    scope: '@opentelemetry/instrumentation-fetch',
  });
  expect(trace).toHaveChildSpan(userAction, browserFetch);
  // The API's SERVER span is the DIRECT child of that fetch span.
  expect(trace).toHaveSpanWithParent(apiServer, sent.parentSpanId);
  expect(trace).toHaveChildSpan(apiClient, inventoryServer);

  // The whole path, from the SQLite query up to the test, in that order
  // (the services' INTERNAL spans between the hops aside).
  const [db] = trace.spans.filter(
    (s) => s.service === 'inventory' && s.attributes['db.system.name'] === 'sqlite',
  );
  const path = [db!, ...trace.ancestors(db!)].reverse();
  expect(path[0]).toBe(root);
  expect(path[1]?.name).toMatch(/^user_action /);
  expect(path[2]).toBe(fetchSpan);
  const hops = ['web CLIENT', 'api SERVER', 'api CLIENT', 'inventory SERVER', 'inventory CLIENT'];
  const hop = (s: TraceSpan) => `${s.service} ${s.kind}`;
  expect(path.map(hop).filter((h) => hops.includes(h))).toEqual(hops);
  expect(hop(path[3]!)).toBe('api SERVER');
});

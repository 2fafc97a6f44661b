/**
 * Uncaught errors of the page, recorded per the exception semantic
 * conventions: on the user action's span when one is in flight, so the
 * exception is in the trace next to the API's spans; else on a span
 * `exception` of its own. Read from Jaeger, and from the page's waterfall.
 */
import { findSpans, type TraceSpan } from '@tracing-demo/trace-assert';
import { exceptionEventOf } from './browser-spans.ts';
import { expect, test } from './fixtures.ts';
import { apiServerFor, browserFetch, userAction } from './selectors.ts';

// The page continues the test's trace: a span of its own is found there.
test.use({ testTracing: true });

const TYPE = 'AfterAnswerError';
const afterAnswer = { ...userAction, name: 'user_action error after the answer' } as const;

function spanWithEvents(events: TraceSpan['events']): TraceSpan {
  return { events } as TraceSpan;
}

test('the exception check wants the type, a message and a stack trace on an exception event', () => {
  const full = { 'exception.type': TYPE, 'exception.message': 'm', 'exception.stacktrace': 's' };
  const event = (name: string, attributes: Record<string, string>) => ({ name, timeMs: 0, attributes });
  for (const rejected of [
    [],
    [event('exception', { ...full, 'exception.type': 'Error' })],
    [event('exception', { 'exception.type': TYPE, 'exception.message': 'm' })],
    [event('exception', { ...full, 'exception.message': '' })],
    [event('log', full)],
  ])
    expect(exceptionEventOf(spanWithEvents(rejected), TYPE), JSON.stringify(rejected)).toBeUndefined();
  expect(exceptionEventOf(spanWithEvents([event('exception', full)]), TYPE)).toBeDefined();
});

test('an exception thrown after the API answered is on the user action span, in the trace of the API span', async ({
  demo,
  traceOf,
  browserErrors,
}) => {
  // Thrown on purpose, uncaught: the page reports it, and Playwright sees it as a page error.
  browserErrors.allow(TYPE);
  const sent = await demo.uncaughtError();
  await expect(demo.status).toHaveText('200');

  const server = apiServerFor('/');
  const { trace } = await traceOf(sent, [afterAnswer, browserFetch, server]);
  expect(trace).toBeConnectedTrace();
  expect(trace).toHaveErrorSpan(afterAnswer);
  expect(trace).toHaveSpanWithParent(server, sent.parentSpanId);
  const [action] = findSpans(trace, afterAnswer);
  const event = exceptionEventOf(action!, TYPE);
  expect(event, 'an exception event per the semantic conventions').toBeDefined();
  expect(event!.attributes).toMatchObject({
    'exception.message': expect.stringContaining('thrown on purpose'),
    'app.exception.source': 'error',
  });

  // The waterfall shows it: the action's row is an error, its details list the exception.
  await demo.drawnWaterfall(sent.traceId);
  const row = demo.waterfallRow(action!.spanId);
  await expect(row).toHaveAttribute('data-error', 'true');
  await row.click();
  await expect(demo.spanDetails).toContainText('exception.type');
  await expect(demo.spanDetails).toContainText(TYPE);
});

test('an unhandled rejection outside any user action is a span `exception` of its own', async ({
  demo,
  traces,
  testSpan,
  browserErrors,
}) => {
  browserErrors.allow('rejected outside any action');
  // The SDK is loaded once the status strip shows the session.
  await expect(demo.sessionId).toHaveText(/^[0-9a-f]{32}$/);
  // A native async function's promise: zone.js's global Promise reports its own rejections to the console only.
  await demo.page.evaluate(() => {
    void (async () => {
      throw new RangeError('rejected outside any action');
    })();
  });
  const own = { service: 'web', name: 'exception' } as const;
  const { trace } = await traces.waitFor(testSpan!.traceId, [own]);
  const [span] = findSpans(trace, own);
  expect(span!.status.code).toBe('ERROR');
  expect(exceptionEventOf(span!, 'RangeError')?.attributes['app.exception.source']).toBe(
    'unhandledrejection',
  );
  expect(span!.attributes['session.id']).toMatch(/^[0-9a-f]{32}$/);
});

/**
 * Sessions: every span the page makes carries `session.id`
 * (@opentelemetry/web-common's session span processor, kept in the tab's
 * sessionStorage). Reloads of one tab share it; another tab or browser
 * context has its own; after the inactivity timeout the next load starts a new
 * one that names the old one in `session.previous_id`. Read from Jaeger.
 */
import type { Page } from '@playwright/test';
import type { TraceSpan } from '@tracing-demo/trace-assert';
import { describeSpans, webSpansOutsideSession } from './browser-spans.ts';
import { DemoPage, expect, stack, test } from './fixtures.ts';
import { apiServerFor, browserFetch, userAction } from './selectors.ts';

// Every web span of the test, its two page loads included, is in the test's trace.
test.use({ testTracing: true });

const SESSION_ID = /^[0-9a-f]{32}$/;
const documentLoad = { service: 'web', name: 'documentLoad' } as const;
const rootServer = apiServerFor('/');

/** The session id the page's status strip shows, once tracing has started. */
async function shownSessionId(demo: DemoPage): Promise<string> {
  await expect(demo.sessionId).toHaveText(SESSION_ID);
  return (await demo.sessionId.textContent())!;
}

function span(service: string, attributes: TraceSpan['attributes']): TraceSpan {
  return { service, kind: 'INTERNAL', name: 'x', attributes } as TraceSpan;
}

test('the session check flags a web span without the session, or with another one', () => {
  const id = 'a'.repeat(32);
  const flagged = [
    span('web', {}),
    span('web', { 'session.id': 'abc' }),
    span('web', { 'session.id': 42 }),
    span('web', { 'session.id': 'b'.repeat(32) }),
  ];
  const kept = [span('web', { 'session.id': id }), span('api', {})];
  expect(webSpansOutsideSession([...flagged, ...kept], id)).toEqual(flagged);
  expect(webSpansOutsideSession([span('web', { 'session.id': 'b'.repeat(32) })])).toEqual([]);
});

test('every web span of two loads of one tab carries the same session.id', async ({
  demo,
  traces,
  testSpan,
}) => {
  const first = await shownSessionId(demo);
  await demo.sayHello();
  await expect(demo.status).toHaveText('200');

  await demo.page.reload();
  expect(await shownSessionId(demo)).toBe(first);
  await demo.sayHello();
  await expect(demo.status).toHaveText('200');

  // Both loads and both clicks, with every span the page made, in the test's trace.
  const { trace } = await traces.waitFor(testSpan!.traceId, [
    { selector: documentLoad, times: 2 },
    { selector: userAction, times: 2 },
    { selector: browserFetch, times: 2 },
    { selector: rootServer, times: 2 },
  ]);
  const web = trace.spans.filter((s) => s.service === 'web');
  expect(web.length).toBeGreaterThan(4);
  const outside = webSpansOutsideSession(trace.spans, first);
  expect(outside, `web spans without session.id ${first}:\n${describeSpans(outside)}`).toEqual([]);
});

test('another tab and another browser context each have a session of their own', async ({
  demo,
  browser,
  traceOf,
}) => {
  const first = await shownSessionId(demo);

  const tab = new DemoPage(await demo.page.context().newPage());
  await tab.open();
  const inTab = await shownSessionId(tab);
  await tab.page.close();

  const other = await browser.newContext({ baseURL: stack.web.url });
  try {
    const elsewhere = new DemoPage(await other.newPage());
    await elsewhere.open();
    const inContext = await shownSessionId(elsewhere);
    expect(new Set([first, inTab, inContext]).size).toBe(3);

    // The other context's click carries its own session, in Jaeger too.
    const sent = await elsewhere.sayHello();
    const { trace } = await traceOf(sent, [userAction, browserFetch, rootServer]);
    const outside = webSpansOutsideSession(trace.spans, inContext);
    expect(outside, describeSpans(outside)).toEqual([]);
  } finally {
    await other.close();
  }
});

/**
 * Reloads the tab as if it came back after 16 minutes: before the page's
 * scripts run (its pagehide noted the activity), the stored session's last
 * activity is moved back.
 */
async function reloadAfterInactivity(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const key = 'tracing-demo.session';
    const stored = JSON.parse(sessionStorage.getItem(key)!) as { lastActiveTimestamp: number };
    stored.lastActiveTimestamp = Date.now() - 16 * 60_000;
    sessionStorage.setItem(key, JSON.stringify(stored));
  });
  await page.reload();
}

test('after the inactivity timeout a reload starts a session naming the old one as session.previous_id', async ({
  demo,
  traceOf,
}) => {
  const old = await shownSessionId(demo);
  await reloadAfterInactivity(demo.page);
  const current = await shownSessionId(demo);
  expect(current).not.toBe(old);

  const sent = await demo.sayHello();
  const { trace } = await traceOf(sent, [
    { ...userAction, attributes: { 'session.id': current, 'session.previous_id': old } },
    browserFetch,
    rootServer,
  ]);
  expect(webSpansOutsideSession(trace.spans, current)).toEqual([]);
});

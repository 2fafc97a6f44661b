/**
 * Route changes: each change of the page's route (`#/` ↔ `#/traces`, by a
 * link or Back) is a span `route_change <route>` with the old and new route.
 * A user action started after it is not its child: each click stays a trace
 * of its own. Without test tracing, so every trace is the page's own.
 */
import { searchSpans, type TraceSpan } from '@tracing-demo/trace-assert';
import { routeChangesOf } from './browser-spans.ts';
import { expect, stack, test } from './fixtures.ts';
import { apiServerFor, browserFetch, userAction } from './selectors.ts';

test.use({ testTracing: false });

const SESSION = 'a'.repeat(32);

function span(name: string, attributes: TraceSpan['attributes'], service = 'web'): TraceSpan {
  return { service, name, startMs: 0, attributes } as TraceSpan;
}

test('the route change check keeps only this session’s route change spans with both routes', () => {
  const routes = { 'app.route.from': '#/', 'app.route.to': '#/traces' };
  const kept = span('route_change #/traces', { ...routes, 'session.id': SESSION });
  const rejected = [
    span('route_change #/traces', { ...routes, 'session.id': 'b'.repeat(32) }),
    span('route_change #/traces', { 'app.route.to': '#/traces', 'session.id': SESSION }),
    span('user_action GET /', { ...routes, 'session.id': SESSION }),
    span('route_change #/traces', { ...routes, 'session.id': SESSION }, 'api'),
  ];
  expect(routeChangesOf([...rejected, kept], SESSION)).toEqual([kept]);
});

test('each route change is a span with the old and new route, and the click after it is a trace of its own', async ({
  demo,
  traceOf,
}) => {
  const since = new Date(Date.now() - 60_000);
  await expect(demo.sessionId).toHaveText(/^[0-9a-f]{32}$/);
  const sessionId = (await demo.sessionId.textContent())!;

  await demo.page.getByTestId('trace-list-link').click();
  await expect(demo.page).toHaveURL(/#\/traces$/);
  await demo.page.goBack();
  await expect(demo.page).toHaveURL(/\/(#\/?)?$/);

  const sent = await demo.sayHello();
  const { trace } = await traceOf(sent, [userAction, browserFetch, apiServerFor('/')]);

  let changes: TraceSpan[] = [];
  await expect
    .poll(
      async () => {
        changes = routeChangesOf(await searchSpans(stack.jaeger.uiUrl, { service: 'web', since }), sessionId);
        return changes.map((change) => [
          change.attributes['app.route.from'],
          change.attributes['app.route.to'],
        ]);
      },
      { timeout: 15_000 },
    )
    .toEqual([
      ['#/', '#/traces'],
      ['#/traces', '#/'],
    ]);

  // The click after Back: its own trace, rooted at the user action, with no route change in it.
  const back = changes[1]!;
  expect(sent.traceId).not.toBe(back.traceId);
  expect(trace.spans.filter((s) => s.name.startsWith('route_change'))).toEqual([]);
  expect(trace).toBeConnectedTrace();
  expect(trace.roots().map((root) => root.name)).toEqual(['user_action GET /']);
});

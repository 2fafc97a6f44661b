/**
 * Self-test of the Playwright fixtures, run by ../fixtures.test.ts. Some of
 * these tests are MEANT to fail (at fixture teardown); the driver checks the
 * report for exactly those failures.
 */
import { expect, jaegerSource, traceTest as test, type TraceSource } from '../../src/index.ts';

const OK_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const WEB_SPAN_ID = '00f067aa0ba902b7';

test('waitFor fetches from the jaegerUrl option and attaches the trace', async ({ traces }) => {
  expect(traces.source.name).toBe(`Jaeger at ${process.env.JAEGER_URL}`);
  const result = await traces.waitFor(OK_TRACE_ID, [{ service: 'web', kind: 'CLIENT' }], { intervalMs: 10 });
  expect(result).toBeConnectedTrace();
  expect(result).toHaveSpanWithParent({ service: 'api', kind: 'SERVER' }, WEB_SPAN_ID);
});

test.describe('with a traceSource of its own', () => {
  // Another backend, here one that reads through Jaeger and counts its reads.
  const jaeger = jaegerSource(process.env.JAEGER_URL ?? '');
  const reads: string[] = [];
  const counting: TraceSource = {
    name: 'a counting source',
    fetchTrace: (traceId, options) => {
      reads.push(traceId);
      return jaeger.fetchTrace(traceId, options);
    },
    traceLink: (traceId) => `https://traces.example/${traceId}`,
  };
  test.use({ traceSource: counting });

  test('waitFor and fetch read from the traceSource option', async ({ traces }) => {
    expect(traces.source).toBe(counting);
    await traces.waitFor(OK_TRACE_ID, [{ service: 'web', kind: 'CLIENT' }], { intervalMs: 10 });
    expect(await traces.fetch(OK_TRACE_ID)).toBeDefined();
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(new Set(reads)).toEqual(new Set([OK_TRACE_ID]));
  });
});

test('a timed-out wait still attaches the partial trace', async ({ traces }) => {
  await expect(
    traces.waitFor(OK_TRACE_ID, [{ service: 'db' }], { timeoutMs: 200, intervalMs: 20 }),
  ).rejects.toThrow('MISSING');
});

test('console errors fail the test at teardown', async ({ page }) => {
  await page.setContent('<script>console.error("boom from the page")</script>');
});

test('uncaught page errors fail the test at teardown', async ({ page }) => {
  await page.setContent('<script>setTimeout(() => { throw new Error("uncaught in page") })</script>');
  await page.waitForTimeout(50);
});

test('allowed errors do not fail the test', async ({ page, browserErrors }) => {
  browserErrors.allow(/expected failure \d+/);
  await page.setContent('<script>console.error("expected failure 500")</script>');
  expect(browserErrors.errors).toHaveLength(1);
});

test('a test that never uses the page opens none (browserErrors watches the page it uses)', async ({
  browser,
  browserErrors,
}) => {
  expect(browser.contexts()).toHaveLength(0);
  expect(browserErrors.errors).toEqual([]);
});

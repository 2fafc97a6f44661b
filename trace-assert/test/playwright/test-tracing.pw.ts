/**
 * Self-test of test tracing (`testTracing: true`), run by
 * ../test-tracing.test.ts against a fake Collector that records what it is
 * sent and a page server (TRACE_ASSERT_PW_PAGE). One test here is MEANT to
 * fail; the driver checks the report and the exported spans.
 */
import type { Page } from '@playwright/test';
import { expect, traceTest as test } from '../../src/index.ts';

const pageUrl = process.env.TRACE_ASSERT_PW_PAGE ?? 'http://127.0.0.1:9/';

/** What the page's first script saw, and the traceparent header of a fetch it made. */
async function visit(page: Page) {
  const sent = page.waitForRequest((r) => r.url().endsWith('/api'));
  await page.goto(pageUrl);
  const request = await sent;
  return {
    metaAtFirstScript: await page.evaluate(
      () => (globalThis as { metaAtFirstScript?: string }).metaAtFirstScript,
    ),
    headerSent: await request.headerValue('traceparent'),
  };
}

test.describe('traced', () => {
  test.use({ testTracing: true });

  test('hands its context to the page as a meta, before the first script', async ({ page, testSpan }) => {
    expect(testSpan?.traceparent).toBe(`00-${testSpan?.traceId}-${testSpan?.spanId}-01`);
    const seen = await visit(page);
    expect(seen.metaAtFirstScript).toBe(testSpan?.traceparent);
    // The page's own requests are left alone: no header is added to them.
    expect(seen.headerSent).toBeNull();
  });

  test('a failing traced test names its trace', () => {
    expect(1, 'deliberately failing').toBe(2);
  });

  test('a failure found at teardown (a browser error) is an error too', async ({ page }) => {
    await page.setContent('<script>console.error("boom at teardown")</script>');
  });

  test('an expected failure is not an error', () => {
    test.fail();
    expect(1).toBe(2);
  });
});

test('an untraced test has no span and hands nothing to the page', async ({ page, testSpan }) => {
  expect(testSpan).toBeUndefined();
  expect((await visit(page)).metaAtFirstScript).toBeNull();
});

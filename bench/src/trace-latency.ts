/**
 * (3) Time to a complete trace: for each of N clicks on "GET /items/{id}" in
 * the real page (Chromium, the stack's preview build), the delay from the
 * API's response reaching the page to the trace being complete in Jaeger:
 * the browser's fetch CLIENT span and the API's SERVER span of the route
 * (child of exactly that CLIENT span).
 *
 * waitForTrace of the toolkit confirms each trace, but its stability polls
 * (the span count must stop moving) come after the moment that matters, so
 * the moment itself is found by polling Jaeger with fetchTrace every 50 ms:
 * it is the start of the first poll that saw the complete trace (the trace
 * was queryable by then; the true moment is at most one interval earlier).
 * A second time is kept: until every span of the click (the user action
 * span too) was there.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  captureTraceContext,
  fetchTrace,
  findSpans,
  waitForTrace,
  type SpanSelector,
  type Trace,
} from '@tracing-demo/trace-assert';
import { isUntracedApiPath } from '@tracing-demo/stack';
import { launchChromium } from './browser-cost.ts';
import type { BenchContext } from './context.ts';
import { log } from './context.ts';

const POLL_MS = 50;
const TIMEOUT_MS = 10_000;

const itemServer: SpanSelector = {
  service: 'api',
  kind: 'SERVER',
  attributes: { 'http.route': '/items/:id' },
};

function complete(trace: Trace, parentSpanId: string): boolean {
  const client = findSpans(trace, { service: 'web', kind: 'CLIENT' }).find((s) => s.spanId === parentSpanId);
  const server = findSpans(trace, itemServer).find((s) => s.parentSpanId === parentSpanId);
  return client !== undefined && server !== undefined;
}

const everySpan = (trace: Trace) =>
  findSpans(trace, { service: 'web', name: /^user_action / }).length > 0 && trace.orphans().length === 0;

export async function runTraceLatency(ctx: BenchContext): Promise<void> {
  const { options, config } = ctx;
  const jaegerUrl = config.jaeger.uiUrl;
  const apiOrigin = new URL(config.api.url).origin;
  // The click's request, not the page's untraced status or trace polls.
  const toApi = (url: URL) => url.origin === apiOrigin && !isUntracedApiPath(url.pathname);
  const completeMs: number[] = [];
  const allSpansMs: number[] = [];
  const failures: string[] = [];

  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(config.web.url);
    await page.getByTestId('item-id').fill('5');
    await page.getByTestId('item-q').fill('somequery');
    const button = page.getByTestId('item-button');
    log(`time to a complete trace: ${options.clicks} clicks`);
    for (let click = 0; click < options.clicks; click += 1) {
      await button.waitFor();
      await page.waitForFunction((el) => !(el as HTMLButtonElement).disabled, await button.elementHandle());
      // The response event's moment, taken when it fires, not when awaited.
      const responded = page
        .waitForResponse(
          (response) => toApi(new URL(response.url())) && response.request().method() === 'GET',
        )
        .then(() => performance.now());
      const tc = await captureTraceContext(page, () => button.click(), { url: toApi });
      const respondedAt = await responded;

      let completeAt: number | undefined;
      let allAt: number | undefined;
      let lastCount = -1;
      let countSince = 0;
      while (allAt === undefined && performance.now() - respondedAt < TIMEOUT_MS) {
        const pollStart = performance.now();
        const found = await fetchTrace(jaegerUrl, tc.traceId);
        if (found) {
          if (completeAt === undefined && complete(found.trace, tc.parentSpanId)) completeAt = pollStart;
          // Every span: the complete set plus the user action span, no orphan,
          // and a span count that did not move since the previous poll; the
          // moment is the first poll that saw that count.
          const count = found.trace.spans.length;
          if (count !== lastCount) countSince = pollStart;
          else if (completeAt !== undefined && everySpan(found.trace)) allAt = countSince;
          lastCount = count;
        }
        await delay(Math.max(0, POLL_MS - (performance.now() - pollStart)));
      }
      if (completeAt === undefined) {
        failures.push(`click ${click + 1}: trace ${tc.traceId} not complete after ${TIMEOUT_MS} ms`);
        continue;
      }
      completeMs.push(completeAt - respondedAt);
      if (allAt !== undefined) allSpansMs.push(allAt - respondedAt);
      // The toolkit's own check that the trace is complete and stable.
      await waitForTrace({
        jaegerUrl,
        traceId: tc.traceId,
        expect: [{ service: 'web', kind: 'CLIENT' }, itemServer],
        timeoutMs: TIMEOUT_MS,
      });
    }
  } finally {
    await browser.close();
  }
  if (failures.length > 0)
    ctx.note(`time to a complete trace: ${failures.length} of ${options.clicks} failed: ${failures[0]}`);
  log(`time to a complete trace: ${completeMs.length} clicks measured`);
  ctx.add({
    id: 'trace.complete_ms',
    part: 'latency',
    label: 'Response at the page → CLIENT + API SERVER spans queryable in Jaeger',
    unit: 'ms',
    over: 'samples',
    values: completeMs,
    goal: { op: '<=', value: 1000, on: 'p95' },
    note: `Jaeger polled every ${POLL_MS} ms`,
  });
  ctx.add({
    id: 'trace.all_spans_ms',
    part: 'latency',
    label: 'Response at the page → every span of the click queryable (user action too)',
    unit: 'ms',
    over: 'samples',
    values: allSpansMs,
  });
  ctx.details.latency = { pollMs: POLL_MS, completeMs, allSpansMs, failures };
}

/**
 * The project's Playwright `test`: the trace toolkit's fixtures (`traces`,
 * `browserErrors`) bound to the stack's Jaeger, plus `demo`, a page object
 * for the web app whose actions return the trace context the app itself sent.
 */
import type { Page } from '@playwright/test';
import { checked, StackStatusSchema, type StackStatusView } from '@tracing-demo/contracts';
import { isUntracedApiPath, jaegerTraceUrl, loadStackConfig } from '@tracing-demo/stack';
import {
  actionTrace,
  captureAllTraceContexts,
  captureTraceContext,
  traceTest,
  type CapturedTraceContext,
  type ExpectedSpan,
  type WaitForTraceResult,
} from '@tracing-demo/trace-assert';

import { expect } from '@tracing-demo/trace-assert';
import { testIds } from './selectors.ts';

export { expect };

export const stack = loadStackConfig();
const apiOrigin = new URL(stack.api.url).origin;

/**
 * Only the app's own traced requests to the API; never the OTLP export, page
 * assets, nor the untraced trace-viewer and status requests.
 */
export const toApi = (url: URL): boolean => url.origin === apiOrigin && !isUntracedApiPath(url.pathname);

export class DemoPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/');
  }

  /** Clicks "GET /" and returns the trace context of the request it made. */
  sayHello(): Promise<CapturedTraceContext> {
    return captureTraceContext(this.page, () => this.page.getByTestId('root-button').click(), { url: toApi });
  }

  /** Fills the item form, submits it, and returns the trace context of the request. */
  async getItem(id: string, q: string): Promise<CapturedTraceContext> {
    await this.page.getByTestId('item-id').fill(id);
    await this.page.getByTestId('item-q').fill(q);
    return captureTraceContext(this.page, () => this.page.getByTestId('item-button').click(), { url: toApi });
  }

  /** Clicks "GET /boom" (a route that always fails) and returns the request's trace context. */
  serverError(): Promise<CapturedTraceContext> {
    return captureTraceContext(this.page, () => this.page.getByTestId('boom-button').click(), { url: toApi });
  }

  /** One user action that awaits GET /, then calls GET /items/5: both requests' contexts. */
  twoCallsOneAction(): Promise<CapturedTraceContext[]> {
    return captureAllTraceContexts(this.page, () => this.page.getByTestId('sequence-button').click(), {
      url: toApi,
      atLeast: 2,
    });
  }

  /** `count` user actions at once; the context of every request they made. */
  async burst(count: number): Promise<CapturedTraceContext[]> {
    await this.page.getByTestId('burst-count').fill(String(count));
    return captureAllTraceContexts(this.page, () => this.page.getByTestId('burst-button').click(), {
      url: toApi,
      atLeast: count,
    });
  }

  /** Clicks "Error after the answer" (GET /, then an uncaught exception) and returns the request's trace context. */
  uncaughtError(): Promise<CapturedTraceContext> {
    return this.#click(testIds.uncaughtErrorButton);
  }

  /** Clicks "Unknown item (404)" (GET /items/9999) and returns the request's trace context. */
  unknownItem(): Promise<CapturedTraceContext> {
    return this.#click(testIds.unknownItemButton);
  }

  /** Clicks "Invalid id (400)" (GET /items/abc) and returns the request's trace context. */
  invalidId(): Promise<CapturedTraceContext> {
    return this.#click(testIds.invalidIdButton);
  }

  /** Clicks "Inventory failure (502)" and returns the request's trace context. */
  inventoryFailure(): Promise<CapturedTraceContext> {
    return this.#click(testIds.inventoryFailButton);
  }

  /** GET /items/5 with the inventory waiting `delayMs`; the request's trace context. */
  async slowDownstream(delayMs: number): Promise<CapturedTraceContext> {
    await this.page.getByTestId(testIds.slowDelayMs).fill(String(delayMs));
    return this.#click(testIds.slowButton);
  }

  #click(testId: string): Promise<CapturedTraceContext> {
    return captureTraceContext(this.page, () => this.page.getByTestId(testId).click(), { url: toApi });
  }

  /** The waterfall, once the page has drawn the trace `traceId` (it waits for the trace to be complete). */
  async drawnWaterfall(traceId: string, { timeout = 20_000 } = {}) {
    const waterfall = this.waterfall;
    await expect(waterfall).toHaveAttribute('data-trace-id', traceId, { timeout });
    return waterfall;
  }

  /** The waterfall row of the span `spanId`. */
  waterfallRow(spanId: string) {
    return this.waterfall.locator(`[data-testid="${testIds.waterfallRow}"][data-span-id="${spanId}"]`);
  }

  get waterfall() {
    return this.page.getByTestId(testIds.waterfall);
  }
  get waterfallRows() {
    return this.waterfall.getByTestId(testIds.waterfallRow);
  }
  get spanDetails() {
    return this.page.getByTestId(testIds.spanDetails);
  }
  get tracePanel() {
    return this.page.getByTestId(testIds.tracePanel);
  }
  get traceStatus() {
    return this.page.getByTestId(testIds.traceStatus);
  }
  get traceJaegerLink() {
    return this.page.getByTestId(testIds.traceJaegerLink);
  }
  get statusStrip() {
    return this.page.getByTestId(testIds.statusStrip);
  }
  get statusCollector() {
    return this.page.getByTestId(testIds.statusCollector);
  }
  get statusJaeger() {
    return this.page.getByTestId(testIds.statusJaeger);
  }
  get statusInventory() {
    return this.page.getByTestId(testIds.statusInventory);
  }
  /** The tracing session's id the status strip shows (session.id on the page's spans). */
  get sessionId() {
    return this.page.getByTestId(testIds.statusSessionId);
  }

  get status() {
    return this.page.getByTestId('result-status');
  }
  get body() {
    return this.page.getByTestId('result-body');
  }
  get traceId() {
    return this.page.getByTestId('trace-id');
  }
  get jaegerLink() {
    return this.page.getByTestId('jaeger-link');
  }
  get serverTraceId() {
    return this.page.getByTestId('server-trace-id');
  }
  get burstSummary() {
    return this.page.getByTestId('burst-summary');
  }
  get error() {
    return this.page.getByTestId('error-message');
  }
}

/** The annotation that carries "response → trace complete in Jaeger" (ms), read by e2e/bench-suite.ts. */
export const TRACE_COMPLETE_ANNOTATION = 'trace-complete-ms';

/** Waits for the trace of a request the page made; see the `traceOf` fixture. */
export type TraceOf = (
  sent: CapturedTraceContext,
  expected: readonly ExpectedSpan[],
) => Promise<WaitForTraceResult>;

export const test = traceTest.extend<{ demo: DemoPage; traceOf: TraceOf }>({
  jaegerUrl: stack.jaeger.uiUrl,
  /**
   * `traces.waitFor` for a captured request, which also records how long after
   * the response reached the page the trace was complete in Jaeger. The trace
   * it returns is the one the request's user action made: with test tracing
   * on, that action's branch of the test's trace, rooted at the action
   * (`actionTrace`: the test span, exported when the test ends, and the
   * test's other actions are left out), so "one click, one trace" assertions
   * read the same either way. The test span's own link is asserted in
   * test-trace.spec.ts.
   */
  traceOf: async ({ traces, testSpan }, use, testInfo) => {
    await use(async (sent, expected) => {
      await sent.request.response();
      const timing = sent.request.timing();
      // Under test tracing the action's branch is cut at the request's fetch span: wait for it too.
      const needed = testSpan === undefined ? expected : [...expected, { spanId: sent.parentSpanId }];
      const result = await traces.waitFor(sent.traceId, needed);
      if (timing.responseEnd >= 0) {
        const delayMs = Math.max(0, Math.round(result.completedAt - (timing.startTime + timing.responseEnd)));
        testInfo.annotations.push({ type: TRACE_COMPLETE_ANNOTATION, description: String(delayMs) });
      }
      return { ...result, trace: actionTrace(result.trace, sent.parentSpanId, testSpan?.spanId) };
    });
  },
  demo: async ({ page }, use) => {
    const demo = new DemoPage(page);
    await demo.open();
    await use(demo);
  },
});

/** The API's `GET /status`, checked with its contract. */
export async function stackStatus(): Promise<StackStatusView> {
  const response = await fetch(`${stack.api.url}/status`);
  return checked(StackStatusSchema, await response.json(), 'The status');
}

/**
 * Where the page's "Open trace" links must go for `traceId`: the trace in
 * Jaeger's UI where Jaeger serves the real one (`jaegerUi` of GET /status),
 * else the page's own trace list with the trace opened, never Jaeger's
 * placeholder page.
 */
export async function expectedTraceHref(traceId: string): Promise<string> {
  const { jaegerUi } = await stackStatus();
  return jaegerUi === 'real' ? jaegerTraceUrl(stack.jaeger.uiUrl, traceId) : `#/traces/${traceId}`;
}

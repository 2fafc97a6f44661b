/**
 * Faults, against a private copy of the real stack (own ports, see
 * own-stack.ts): the Collector down when everything starts, killed mid-run
 * and restarted; SIGTERM to the API and to the Collector right after they
 * took spans; a page closed right after a response. The app must keep
 * answering, stay quiet (no error loop), and lose no span it could keep.
 */
import {
  findSpans,
  waitForTrace,
  type BrowserError,
  type CapturedTraceContext,
} from '@tracing-demo/trace-assert';
import { expect } from '../fixtures.ts';
import {
  apiClient,
  apiServerFor,
  browserFetch,
  inventoryDb,
  inventoryServer,
  userAction,
} from '../selectors.ts';
import { OwnDemoPage, ownStackTest, type OwnStack, type ProcessName, record } from './own-stack.ts';
import { newTraceId, otlpJson, postOtlp, sampledTraceparent } from './wire.ts';

// Everything but the Collector: the first test starts it late.
const test = ownStackTest(['jaeger', 'inventory', 'api', 'web']);

const ITEM_SPANS = [userAction, browserFetch, apiServerFor('/items/:id')];

async function ensureRunning(own: OwnStack, ...names: ProcessName[]): Promise<void> {
  for (const name of names) if (!own.isRunning(name)) await own.startProcess(name);
}

/**
 * Lines the API printed that are not pino info/debug lines: warnings,
 * errors, and whatever the OTel diag logger wrote (export failures).
 */
function apiWarnings(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '' && !/^\{"level":(10|20|30),/.test(line));
}

/** ResilientExporter's line at the first failed export of an outage (node-telemetry/src/resilient-exporter.ts). */
const EXPORT_FAILED = /^Trace export to \S+ failed: /;
/** Its line when exports work again (and the spans kept during the outage are sent). */
const EXPORT_RECOVERED = /^Trace export to \S+ works again[.;]/;

/**
 * The API's log for one outage: at most one warning when it starts, at most
 * one line when exports work again, nothing else (no line per failed batch).
 */
function expectOneWarningPerOutage(lines: readonly string[]): void {
  const failed = lines.filter((line) => EXPORT_FAILED.test(line));
  const recovered = lines.filter((line) => EXPORT_RECOVERED.test(line));
  expect(failed.length, lines.join('\n')).toBeLessThanOrEqual(1);
  expect(recovered.length, lines.join('\n')).toBeLessThanOrEqual(1);
  expect(lines.length - failed.length - recovered.length, `other lines:\n${lines.join('\n')}`).toBe(0);
  expect(lines.join('\n')).not.toMatch(/unhandled|uncaught|FATAL/i);
}

/** Browser console errors other than a refused connection to the Collector (Chromium logs each one). */
function unexpectedBrowserErrors(errors: readonly BrowserError[], otlpUrl: string): BrowserError[] {
  return errors.filter(
    (error) =>
      !(
        error.kind === 'console' &&
        error.text === 'Failed to load resource: net::ERR_CONNECTION_REFUSED' &&
        error.location?.startsWith(otlpUrl)
      ),
  );
}

/**
 * Clicks GET /items/{id} until one click's whole trace (browser and API
 * spans) is in Jaeger; returns how many clicks it took (1, now that both
 * exporters keep the spans of an outage and send them once it is over).
 */
async function clickUntilTraced(demo: OwnDemoPage, own: OwnStack, deadlineMs: number): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  for (let clicks = 1; ; clicks++) {
    // Items 1..100 exist in the inventory.
    const sent = await demo.getItem(String(1 + (clicks % 100)), 'recovered');
    await expect(demo.status).toHaveText('200');
    try {
      await waitForTrace({
        jaegerUrl: own.config.jaeger.uiUrl,
        traceId: sent.traceId,
        expect: ITEM_SPANS,
        timeoutMs: Math.min(2500, Math.max(500, deadline - Date.now())),
      });
      return clicks;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
  }
}

/**
 * Sends raw requests to the API until one's SERVER span is in Jaeger: the
 * API's exporter is connected and exporting.
 */
async function untilApiExports(own: OwnStack, deadlineMs = 15_000): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  for (let requests = 1; ; requests++) {
    const { traceId, traceparent } = sampledTraceparent();
    expect((await fetch(`${own.config.api.url}/`, { headers: { traceparent } })).status).toBe(200);
    try {
      await waitForTrace({
        jaegerUrl: own.config.jaeger.uiUrl,
        traceId,
        expect: [apiServerFor('/')],
        timeoutMs: Math.min(1500, Math.max(500, deadline - Date.now())),
      });
      return requests;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
  }
}

/**
 * Both exporters keep the spans of an outage (the browser's retries, the
 * API's keeps failed batches in a bounded buffer): the clicks made during it
 * arrive as whole traces once the Collector is back.
 */
async function expectWholeTraces(own: OwnStack, during: readonly CapturedTraceContext[]): Promise<void> {
  for (const sent of during) {
    await waitForTrace({ jaegerUrl: own.config.jaeger.uiUrl, traceId: sent.traceId, expect: ITEM_SPANS });
  }
}

/** During an outage: the page and the API answer as usual. Returns the traces of the clicks. */
async function useTheAppDuringOutage(
  demo: OwnDemoPage,
  own: OwnStack,
  clicks: number,
): Promise<CapturedTraceContext[]> {
  // Timings are recorded as annotations, not asserted: this machine is shared
  // and noisy; time limits belong in benchmarks (npm run soak).
  const sent: CapturedTraceContext[] = [];
  for (let i = 0; i < clicks; i++) {
    const started = performance.now();
    sent.push(await demo.getItem(String(1 + ((50 + i) % 100)), 'outage'));
    await expect(demo.status).toHaveText('200');
    await expect(demo.body).toContainText('outage');
    record(test.info(), 'click answered during the outage (ms)', Math.round(performance.now() - started));
  }
  await expect(demo.page.getByTestId('error-message')).toHaveCount(0);
  const started = performance.now();
  const raw = await fetch(`${own.config.api.url}/items/7`);
  expect(raw.status).toBe(200);
  record(test.info(), 'raw API request during the outage (ms)', Math.round(performance.now() - started));
  return sent;
}

test.describe.configure({ mode: 'default' });

test('Collector down when the stack starts: the app works; once it is up, new traces arrive', async ({
  own,
  ownDemo: demo,
  browserErrors,
}, testInfo) => {
  if (own.isRunning('collector')) await own.stop('collector');
  browserErrors.allow('net::ERR_CONNECTION_REFUSED');
  const linesBefore = apiWarnings(own.output('api')).length;

  const during = await useTheAppDuringOutage(demo, own, 3);
  const outageLines = apiWarnings(own.output('api')).slice(linesBefore);

  await own.startProcess('collector');
  const clicks = await clickUntilTraced(demo, own, 15_000);
  record(testInfo, 'clicks until a whole trace arrived after the Collector came up', clicks);

  await expectWholeTraces(own, during);

  const lines = apiWarnings(own.output('api')).slice(linesBefore);
  record(testInfo, 'API warning/error lines during the outage (4 requests)', outageLines.length);
  record(testInfo, 'API warning/error lines until recovered', lines.length);
  record(
    testInfo,
    'API "export failed" warnings, whole run so far',
    apiWarnings(own.output('api')).filter((line) => EXPORT_FAILED.test(line)).length,
  );
  // One warning for the outage (maybe printed before linesBefore, at the
  // API's first export), one line when it works again; no loop, no crash.
  expectOneWarningPerOutage(lines);
  expect(own.isRunning('api')).toBe(true);
  const refused =
    browserErrors.errors.length -
    unexpectedBrowserErrors(browserErrors.errors, own.config.collector.httpTracesUrl).length;
  record(testInfo, 'browser console: refused connections to the Collector', refused);
  expect(unexpectedBrowserErrors(browserErrors.errors, own.config.collector.httpTracesUrl)).toEqual([]);
});

test('Collector killed (kill -9) mid-run: the app works throughout; the supervisor restarts it; new traces arrive without restarting anything else', async ({
  own,
  ownDemo: demo,
  browserErrors,
}, testInfo) => {
  await ensureRunning(own, 'collector');
  browserErrors.allow('net::ERR_CONNECTION_REFUSED');
  // Mid-run: traces flow before the kill.
  await untilApiExports(own);
  await clickUntilTraced(demo, own, 10_000);

  const linesBefore = apiWarnings(own.output('api')).length;
  const apiPid = own.pid('api');
  const killedAt = performance.now();
  own.kill('collector');
  const during = await useTheAppDuringOutage(demo, own, 3);

  // Nobody restarts it: the supervisor does.
  await own.waitHealthy('collector', 90_000);
  record(testInfo, 'kill -9 → Collector healthy again (ms)', Math.round(performance.now() - killedAt));
  const clicks = await clickUntilTraced(demo, own, 15_000);
  record(testInfo, 'clicks until a whole trace arrived after the restart', clicks);
  await expectWholeTraces(own, during);

  // The supervisor brings the Collector back within a second or so: the API
  // may not even see a failed export. If it does, it says so once.
  const lines = apiWarnings(own.output('api')).slice(linesBefore);
  record(testInfo, 'API warning/error lines for this outage', lines.length);
  expectOneWarningPerOutage(lines);
  expect(own.pid('api'), 'the API was not restarted').toBe(apiPid);
  expect(unexpectedBrowserErrors(browserErrors.errors, own.config.collector.httpTracesUrl)).toEqual([]);
});

test('Collector down for 10 s while the API serves traced requests: once it is back, every one of their spans is in Jaeger', async ({
  own,
}, testInfo) => {
  await ensureRunning(own, 'collector', 'api');
  await untilApiExports(own);
  await own.stop('collector');
  const sent: string[] = [];
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const { traceId, traceparent } = sampledTraceparent();
    const response = await fetch(`${own.config.api.url}/items/${1 + (sent.length % 100)}?q=outage`, {
      headers: { traceparent },
    });
    expect(response.status).toBe(200);
    sent.push(traceId);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await own.startProcess('collector');
  const back = performance.now();
  record(testInfo, 'traced requests during the 10 s outage', sent.length);
  for (const [i, traceId] of sent.entries()) {
    await waitForTrace({
      jaegerUrl: own.config.jaeger.uiUrl,
      traceId,
      expect: [apiServerFor('/items/:id'), apiClient, inventoryServer, inventoryDb],
      timeoutMs: 30_000,
    });
    if (i === 0)
      record(
        testInfo,
        'Collector back → first outage trace complete in Jaeger (ms)',
        Math.round(performance.now() - back),
      );
  }
  record(
    testInfo,
    'Collector back → every outage trace complete in Jaeger (ms)',
    Math.round(performance.now() - back),
  );
});

test('SIGTERM to the API right after a request: that request’s spans are in Jaeger', async ({ own }) => {
  await ensureRunning(own, 'collector', 'api');
  // A connected exporter: spans the API takes now are exported, not dropped.
  await untilApiExports(own);

  const { traceId, traceparent } = sampledTraceparent();
  const response = await fetch(`${own.config.api.url}/items/42?q=last`, { headers: { traceparent } });
  expect(response.status).toBe(200);
  // Well within the exporter's 200 ms batch delay: the spans are still queued.
  const exit = await own.stop('api');
  expect(exit.code).toBe(0);
  record(test.info(), 'API exit after SIGTERM (ms)', exit.ms);

  const { trace } = await waitForTrace({
    jaegerUrl: own.config.jaeger.uiUrl,
    traceId,
    expect: [apiServerFor('/items/:id'), apiClient],
  });
  expect(findSpans(trace, { service: 'api' }).length).toBe(2);
  await own.startProcess('api');
});

test('SIGTERM to the Collector right after it accepted spans: its queue is flushed to Jaeger', async ({
  own,
}) => {
  await ensureRunning(own, 'collector');
  const traceId = newTraceId();
  const spans = Array.from({ length: 50 }, (_, i) => ({ traceId, name: `queued ${i}` }));
  expect((await postOtlp(own.config.collector.httpTracesUrl, otlpJson(spans))).status).toBe(200);
  // Well within the batch processor's 100 ms timeout: the spans are still in the Collector.
  const exit = await own.stop('collector');
  expect(exit.code).toBe(0);

  const { trace } = await waitForTrace({
    jaegerUrl: own.config.jaeger.uiUrl,
    traceId,
    expect: [{ selector: { service: 'fault-test' }, times: 50 }],
  });
  expect(trace.spans).toHaveLength(50);
  await own.startProcess('collector');
});

test('a request made right before the page closes: its spans still arrive (pagehide flush)', async ({
  own,
  page,
}) => {
  await ensureRunning(own, 'collector', 'api');
  await untilApiExports(own);
  // Not the fixture page: this one is closed by the test. Twice, so a pass is no accident of timing.
  for (let i = 0; i < 2; i++) {
    const closing = await page.context().newPage();
    const demo = new OwnDemoPage(closing, own);
    await demo.open();
    const sent = await demo.getItem(String(i + 1), 'closing');
    await sent.request.response();
    await expect(demo.status).toHaveText('200');
    await closing.close({ runBeforeUnload: true });

    const { trace } = await waitForTrace({
      jaegerUrl: own.config.jaeger.uiUrl,
      traceId: sent.traceId,
      expect: ITEM_SPANS,
    });
    expect(trace).toBeConnectedTrace();
    expect(trace).toHaveSpanWithParent(apiServerFor('/items/:id'), sent.parentSpanId);
  }
});

import { describe, expect, it } from 'vitest';
import type { SpanSelector } from '../src/selector.ts';
import { TraceTimeoutError, waitForTrace } from '../src/wait.ts';
import {
  API_ONLY,
  FULL,
  NOT_FOUND,
  closedPortUrl,
  fakeJaeger,
  full,
  only,
  type Reply,
} from './fake-jaeger.ts';
import type { Trace } from '../src/model.ts';
import type { TraceSource } from '../src/source.ts';
import {
  HANDLER_SPAN_ID,
  OK_TRACE_ID,
  REQUEST_SPAN_ID,
  SERVER_SPAN_ID,
  WEB_SPAN_ID,
  loadTrace,
} from './helpers.ts';

const WEB: SpanSelector = { service: 'web', kind: 'CLIENT', name: 'GET' };
const SERVER: SpanSelector = { service: 'api', kind: 'SERVER', attributes: { 'http.route': '/items/:id' } };

async function timeoutError(promise: Promise<unknown>): Promise<TraceTimeoutError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TraceTimeoutError) return error;
    throw error;
  }
  throw new Error('expected waitForTrace to time out');
}

describe('waitForTrace', () => {
  it('waits until every selector matches and the span count is stable', async () => {
    // 404, then only the API's spans (browser batch not flushed yet), then everything.
    const jaeger = await fakeJaeger([NOT_FOUND, API_ONLY, FULL]);
    const before = Date.now();
    const result = await waitForTrace({
      jaegerUrl: jaeger.url,
      traceId: OK_TRACE_ID,
      expect: [WEB, SERVER],
      intervalMs: 30,
    });
    const after = Date.now();
    // Poll 3 sees everything; poll 4 confirms the count did not move.
    expect(result.polls).toBe(4);
    expect(result.trace.spans).toHaveLength(4);
    expect(result.trace.span(WEB_SPAN_ID)).toBeDefined();
    expect(result.raw).toEqual(full);
    expect(result.waitedMs).toBeGreaterThanOrEqual(0);
    // Complete at poll 3, confirmed at poll 4: completedAt is the former.
    expect(result.completedAt).toBeGreaterThanOrEqual(before);
    expect(result.completedAt).toBeLessThanOrEqual(after - 30);
  });

  it('keeps polling while spans still arrive, even once all selectors match', async () => {
    const replies = [
      only(SERVER_SPAN_ID),
      only(SERVER_SPAN_ID, REQUEST_SPAN_ID),
      only(SERVER_SPAN_ID, REQUEST_SPAN_ID, HANDLER_SPAN_ID),
      FULL,
    ];
    /** A fresh Jaeger answering `replies`, waited on for the SERVER span with `stablePolls`. */
    const waitForServer = async (stablePolls?: number) =>
      waitForTrace({
        jaegerUrl: (await fakeJaeger(replies)).url,
        traceId: OK_TRACE_ID,
        expect: [SERVER],
        intervalMs: 5,
        ...(stablePolls === undefined ? {} : { stablePolls }),
      });
    const result = await waitForServer();
    expect(result.polls).toBe(5);
    expect(result.trace.spans).toHaveLength(4);

    const first = await waitForServer(1);
    expect(first.polls).toBe(1);
    expect(first.trace.spans).toHaveLength(1);

    const third = await waitForServer(3);
    expect(third.polls).toBe(6);
  });

  it('honours { selector, times } and minSpans', async () => {
    const replies = [only(SERVER_SPAN_ID), only(SERVER_SPAN_ID, REQUEST_SPAN_ID), API_ONLY, FULL];
    const byTimes = await fakeJaeger(replies);
    const r1 = await waitForTrace({
      jaegerUrl: byTimes.url,
      traceId: OK_TRACE_ID,
      expect: [{ selector: { service: 'api' }, times: 2 }],
      intervalMs: 5,
      stablePolls: 1,
    });
    expect(r1.polls).toBe(2);
    const byMin = await fakeJaeger(replies);
    const r2 = await waitForTrace({
      jaegerUrl: byMin.url,
      traceId: OK_TRACE_ID,
      expect: [],
      minSpans: 4,
      intervalMs: 5,
      stablePolls: 1,
    });
    expect(r2.polls).toBe(4);
  });

  it('times out with what was expected, what was found, the polls and the last error', async () => {
    const jaeger = await fakeJaeger([
      { status: 500, body: { error: { httpCode: 500, message: 'storage backend unavailable' } } },
      API_ONLY,
    ]);
    const error = await timeoutError(
      waitForTrace({
        jaegerUrl: jaeger.url,
        traceId: OK_TRACE_ID,
        expect: [WEB, SERVER],
        timeoutMs: 300,
        intervalMs: 20,
      }),
    );
    const message = error.message;
    expect(message).toMatch(
      new RegExp(
        `^Trace ${OK_TRACE_ID} was not complete after \\d+ ms \\(\\d+ polls of Jaeger at ${jaeger.url}, timeout 300 ms\\)`,
      ),
    );
    // One column for the states, as wide as the widest.
    expect(message).toContain('  MISSING (found 0x)  web CLIENT "GET"\n');
    expect(message).toContain(`  ${'found 1x'.padEnd(18)}  api SERVER {http.route=/items/:id}\n`);
    expect(message).toContain('Missing: web CLIENT "GET"');
    expect(message).toContain('Found:\nTrace 4bf92f3577b34da6a3ce929d0e0e4736: 3 spans, services api');
    expect(message).toContain('orphans (parent not in trace):');
    expect(message).toContain(`Open: ${jaeger.url}/trace/${OK_TRACE_ID}`);
    expect(message).toContain(
      `Last error (poll 1): Jaeger GET ${jaeger.url}/api/v3/traces/${OK_TRACE_ID} answered 500 Internal Server Error: ` +
        '{"error":{"httpCode":500,"message":"storage backend unavailable"}}',
    );
    expect(error.name).toBe('TraceTimeoutError');
    expect(error.traceId).toBe(OK_TRACE_ID);
    expect(error.polls).toBe(jaeger.paths.length);
    expect(error.polls).toBeGreaterThan(3);
    expect(message).toContain(`(${error.polls} polls of`);
    expect(error.waitedMs).toBeGreaterThanOrEqual(300);
    expect(error.waitedMs).toBeLessThan(2000);
    expect(error.missing).toEqual(['web CLIENT "GET"']);
    expect(error.trace?.spans).toHaveLength(3);
  });

  it('says "no trace yet" when Jaeger never had it', async () => {
    const jaeger = await fakeJaeger([NOT_FOUND]);
    const error = await timeoutError(
      waitForTrace({
        jaegerUrl: jaeger.url,
        traceId: OK_TRACE_ID,
        expect: [SERVER],
        timeoutMs: 150,
        intervalMs: 20,
      }),
    );
    expect(error.message).toContain(`Found:\n  no trace yet (Jaeger at ${jaeger.url} does not have it)`);
    expect(error.message).toContain('MISSING (found 0x)  api SERVER');
    expect(error.message).not.toContain('Last error');
    expect(error.trace).toBeUndefined();
  });

  it('reports connection errors as the last error', async () => {
    const url = await closedPortUrl();
    const error = await timeoutError(
      waitForTrace({
        jaegerUrl: url,
        traceId: OK_TRACE_ID,
        expect: [SERVER],
        timeoutMs: 150,
        intervalMs: 20,
      }),
    );
    expect(error.message).toMatch(
      new RegExp(
        `Last error \\(poll \\d+\\): Jaeger GET ${url}/api/v3/traces/${OK_TRACE_ID}: fetch failed: .*ECONNREFUSED`,
      ),
    );
    expect(error.message).toContain('no trace yet');
  });

  it('reports a count that never settles', async () => {
    // Every poll sees one more (fake) span: never stable.
    let n = 0;
    const growing: Reply[] = Array.from({ length: 200 }, () => {
      n += 1;
      const doc = structuredClone(full) as {
        result: { resourceSpans: { scopeSpans: { spans: object[] }[] }[] };
      };
      const spans = doc.result.resourceSpans[0]!.scopeSpans[0]!.spans;
      const template = spans[0] as Record<string, unknown>;
      for (let i = 0; i < n; i++)
        spans.push({ ...template, spanId: (0x1000 + i + n * 256).toString(16).padStart(16, '0') });
      return { status: 200, body: doc };
    });
    const jaeger = await fakeJaeger(growing);
    const error = await timeoutError(
      waitForTrace({
        jaegerUrl: jaeger.url,
        traceId: OK_TRACE_ID,
        expect: [SERVER],
        timeoutMs: 150,
        intervalMs: 10,
      }),
    );
    expect(error.message).toMatch(/Span count still changing: \d+ spans seen by only 1 consecutive poll/);
  });

  it('stops when its signal aborts', async () => {
    const jaeger = await fakeJaeger([NOT_FOUND]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('test over')), 50);
    await expect(
      waitForTrace({
        jaegerUrl: jaeger.url,
        traceId: OK_TRACE_ID,
        expect: [SERVER],
        timeoutMs: 5000,
        intervalMs: 10,
        signal: controller.signal,
      }),
    ).rejects.toThrow('test over');
    expect(controller.signal.aborted).toBe(true);
  });
});

describe('waitForTrace with a TraceSource of its own', () => {
  /** A backend in memory: answers each read with the next of `answers` (the last one forever). */
  function memorySource(
    answers: (Trace | undefined)[],
    traceLink?: (traceId: string) => string,
  ): TraceSource {
    let reads = 0;
    const source: TraceSource = {
      name: 'the memory source',
      fetchTrace: async (traceId) => {
        const trace = answers[Math.min(reads, answers.length - 1)];
        reads += 1;
        expect(traceId).toBe(OK_TRACE_ID);
        return trace && { trace, raw: { reads } };
      },
    };
    if (traceLink) source.traceLink = traceLink;
    return source;
  }

  it('waits on that source, never on Jaeger', async () => {
    const full = loadTrace('items-ok');
    const result = await waitForTrace({
      source: memorySource([undefined, full]),
      traceId: OK_TRACE_ID,
      expect: [WEB, SERVER],
      intervalMs: 1,
    });
    expect(result.trace).toBe(full);
    expect(result).toMatchObject({ polls: 3, raw: { reads: 3 } });
  });

  it('names the source in the timeout message and ends with its link, if it has one', async () => {
    const apiOnly = loadTrace('items-ok');
    const options = { traceId: OK_TRACE_ID, expect: [{ service: 'db' }], timeoutMs: 50, intervalMs: 5 };
    const linked = await timeoutError(
      waitForTrace({ ...options, source: memorySource([apiOnly], (id) => `https://traces.example/${id}`) }),
    );
    expect(linked.message).toMatch(/\(\d+ polls of the memory source, timeout 50 ms\)/);
    expect(linked.message.split('\n').at(-1)).toBe(`Open: https://traces.example/${OK_TRACE_ID}`);

    const unlinked = await timeoutError(waitForTrace({ ...options, source: memorySource([apiOnly]) }));
    expect(unlinked.message).not.toContain('Open:');
    const never = await timeoutError(waitForTrace({ ...options, source: memorySource([undefined]) }));
    expect(never.message).toContain('no trace yet (the memory source does not have it)');
  });

  it('keeps polling past a source that throws, and reports its error', async () => {
    const failing: TraceSource = {
      name: 'a failing source',
      fetchTrace: () => Promise.reject(new Error('backend on fire')),
    };
    const error = await timeoutError(
      waitForTrace({ source: failing, traceId: OK_TRACE_ID, expect: [SERVER], timeoutMs: 50, intervalMs: 5 }),
    );
    expect(error.polls).toBeGreaterThan(1);
    expect(error.message).toMatch(/Last error \(poll \d+\): backend on fire/);
  });
});

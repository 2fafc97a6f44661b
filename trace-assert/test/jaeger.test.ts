import { describe, expect, it } from 'vitest';
import {
  JaegerAnswerError,
  JaegerUnreachableError,
  errorText,
  fetchTrace,
  jaegerSource,
  searchSpans,
} from '../src/jaeger.ts';
import { pollTrace, type PollSettings } from '../src/poll.ts';
import type { Trace } from '../src/model.ts';
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
import { OK_TRACE_ID, SERVER_SPAN_ID, WEB_SPAN_ID } from './helpers.ts';

describe('fetchTrace', () => {
  it('GETs /api/v3/traces/{id} and parses the trace', async () => {
    const jaeger = await fakeJaeger([FULL]);
    const result = await fetchTrace(`${jaeger.url}/`, OK_TRACE_ID.toUpperCase());
    expect(jaeger.paths).toEqual([`/api/v3/traces/${OK_TRACE_ID}`]);
    expect(result?.trace.spans).toHaveLength(4);
    expect(result?.trace.link).toBe(`${jaeger.url}/trace/${OK_TRACE_ID}`);
    expect(result?.raw).toEqual(full);
  });

  it('returns undefined while the trace is not there (404 or no spans)', async () => {
    const jaeger = await fakeJaeger([NOT_FOUND, { status: 200, body: { result: { resourceSpans: [] } } }]);
    expect(await fetchTrace(jaeger.url, OK_TRACE_ID)).toBeUndefined();
    expect(await fetchTrace(jaeger.url, OK_TRACE_ID)).toBeUndefined();
  });

  it('throws on other statuses with the status and a body excerpt', async () => {
    const jaeger = await fakeJaeger([
      { status: 503, body: 'storage backend unavailable\n' + 'x'.repeat(1000) },
    ]);
    const error = await fetchTrace(jaeger.url, OK_TRACE_ID).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(JaegerUnreachableError);
    expect((error as Error).message).toContain(
      `Jaeger GET ${jaeger.url}/api/v3/traces/${OK_TRACE_ID} answered 503 Service Unavailable: storage backend unavailable`,
    );
    expect((error as Error).message.length).toBeLessThan(500);
  });

  it('throws on a body that is not JSON, a malformed trace, or another trace', async () => {
    const other = structuredClone(full);
    const jaeger = await fakeJaeger([
      { status: 200, body: '<html>proxy login</html>' },
      { status: 200, body: { result: { resourceSpans: [{ scopeSpans: [{ spans: [{}] }] }] } } },
      { status: 200, body: other },
    ]);
    await expect(fetchTrace(jaeger.url, OK_TRACE_ID)).rejects.toThrow(
      new RegExp(
        `^Jaeger GET ${jaeger.url}/api/v3/traces/${OK_TRACE_ID} answered 200 with a body that is not JSON: <html>proxy login`,
      ),
    );
    await expect(fetchTrace(jaeger.url, OK_TRACE_ID)).rejects.toThrow(
      'resourceSpans[0].scopeSpans[0].spans[0].traceId is missing',
    );
    await expect(fetchTrace(jaeger.url, '0af7651916cd43dd8448eb211c80319c')).rejects.toThrow(
      `answered with trace ${OK_TRACE_ID}`,
    );
    // Every one of them is a JaegerAnswerError: Jaeger answered, with something that is not the trace.
    const again = await fakeJaeger([{ status: 200, body: '<html>' }]);
    await expect(fetchTrace(again.url, OK_TRACE_ID)).rejects.toBeInstanceOf(JaegerAnswerError);
  });

  it('says JaegerUnreachableError, with the cause, when nothing listens', async () => {
    const url = await closedPortUrl();
    const error = await fetchTrace(url, OK_TRACE_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JaegerUnreachableError);
    expect(errorText(error)).toMatch(
      new RegExp(`^Jaeger GET ${url}/api/v3/traces/${OK_TRACE_ID}: fetch failed: .*ECONNREFUSED`),
    );
  });

  it('gives up on a Jaeger that does not answer within timeoutMs', async () => {
    const jaeger = await fakeJaeger(['hang']);
    const started = performance.now();
    await expect(fetchTrace(jaeger.url, OK_TRACE_ID, { timeoutMs: 100 })).rejects.toThrow(
      new JaegerUnreachableError(
        `Jaeger GET ${jaeger.url}/api/v3/traces/${OK_TRACE_ID}: no answer within 100 ms`,
      ),
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('uses the fetch it is given, asking for JSON', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      calls.push([String(input), init]);
      return new Response(JSON.stringify(full), { status: 200 });
    };
    const result = await fetchTrace('http://jaeger.invalid:16686', OK_TRACE_ID, { fetch: fakeFetch });
    expect(result?.trace.spans).toHaveLength(4);
    expect(calls.map(([url]) => url)).toEqual([`http://jaeger.invalid:16686/api/v3/traces/${OK_TRACE_ID}`]);
    expect(calls[0]![1]?.headers).toEqual({ accept: 'application/json' });
  });

  it("rejects with the caller's abort reason, not as unreachable", async () => {
    const jaeger = await fakeJaeger(['hang']);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('page moved on')), 30);
    await expect(fetchTrace(jaeger.url, OK_TRACE_ID, { signal: controller.signal })).rejects.toThrow(
      'page moved on',
    );
  });

  it('rejects a malformed trace id before asking', async () => {
    await expect(fetchTrace('http://127.0.0.1:1', 'abc')).rejects.toThrow('trace id must be 32 hex digits');
  });
});

describe('searchSpans', () => {
  it("asks the query API's search and reads every span", async () => {
    const jaeger = await fakeJaeger([FULL]);
    const since = new Date('2026-01-01T00:00:00Z');
    const until = new Date('2026-01-01T00:01:00Z');
    const spans = await searchSpans(`${jaeger.url}/`, { service: 'api', since, until, limit: 5 });
    expect(spans).toHaveLength(4);
    const asked = new URL(jaeger.paths[0]!, jaeger.url);
    expect(asked.pathname).toBe('/api/v3/traces');
    expect(Object.fromEntries(asked.searchParams)).toEqual({
      'query.service_name': 'api',
      'query.start_time_min': since.toISOString(),
      'query.start_time_max': until.toISOString(),
      'query.num_traces': '5',
    });
  });

  it('reads a 404 as no traces, and throws on other statuses', async () => {
    const jaeger = await fakeJaeger([NOT_FOUND, { status: 500, body: 'storage down' }]);
    expect(await searchSpans(jaeger.url, { service: 'api', since: new Date(0) })).toEqual([]);
    await expect(searchSpans(jaeger.url, { service: 'api', since: new Date(0) })).rejects.toThrow(
      JaegerUnreachableError,
    );
  });
});

describe('jaegerSource', () => {
  it('is the TraceSource of Jaeger at a URL: reads, searches and links through the query API', async () => {
    const jaeger = await fakeJaeger([FULL, NOT_FOUND]);
    const source = jaegerSource(`${jaeger.url}//`);
    expect(source.name).toBe(`Jaeger at ${jaeger.url}`);
    expect(source.traceLink?.(OK_TRACE_ID)).toBe(`${jaeger.url}/trace/${OK_TRACE_ID}`);
    const result = await source.fetchTrace(OK_TRACE_ID);
    expect(result?.trace.spans).toHaveLength(4);
    expect(result?.trace.link).toBe(`${jaeger.url}/trace/${OK_TRACE_ID}`);
    expect(await source.searchSpans?.({ service: 'api', since: new Date(0) })).toEqual([]);
    expect(jaeger.paths[0]).toBe(`/api/v3/traces/${OK_TRACE_ID}`);
    expect(jaeger.paths[1]).toMatch(/^\/api\/v3\/traces\?query\.service_name=api&/);
  });

  it("uses the fetch it was given, and passes on each request's signal", async () => {
    const seen: (AbortSignal | null | undefined)[] = [];
    const fakeFetch: typeof fetch = async (_url, init) => {
      seen.push(init?.signal);
      return new Response('', { status: 404 });
    };
    const source = jaegerSource('http://jaeger.invalid:16686', { fetch: fakeFetch });
    const controller = new AbortController();
    expect(await source.fetchTrace(OK_TRACE_ID, { signal: controller.signal })).toBeUndefined();
    expect(seen).toHaveLength(1);
    controller.abort();
    expect(seen[0]?.aborted).toBe(true);
  });

  it('rejects a trace id that is not 32 hex digits', async () => {
    await expect(jaegerSource('http://jaeger.invalid').fetchTrace('not-an-id')).rejects.toThrow(
      /32 hex digits/,
    );
  });
});

describe('pollTrace', () => {
  const connected = (trace: Trace) => trace.isConnected();
  const poll = (url: string, options: Partial<PollSettings> & { fetch?: typeof fetch } = {}) =>
    pollTrace({ jaegerUrl: url, traceId: OK_TRACE_ID, timeoutMs: 1000, intervalMs: 5, ...options });

  it('is complete once the trace is complete and the same span count was seen twice in a row', async () => {
    // 404, a missing root (the browser has not exported yet), then everything.
    const jaeger = await fakeJaeger([NOT_FOUND, API_ONLY, FULL]);
    const result = await poll(jaeger.url, { isComplete: connected });
    expect(result).toMatchObject({ complete: true, polls: 4, lastCount: 4, sameCountPolls: 2 });
    expect(result.last?.trace.spans).toHaveLength(4);
    expect(result.completedAt).toBeTypeOf('number');
  });

  it('never calls a trace complete after a single look (wait 0)', async () => {
    const jaeger = await fakeJaeger([FULL]);
    const result = await poll(jaeger.url, { timeoutMs: 0, isComplete: connected });
    expect(result).toMatchObject({ complete: false, polls: 1, completedAt: undefined });
    expect(result.last?.trace.spans).toHaveLength(4);
  });

  it('starts counting again after a poll that found nothing', async () => {
    const jaeger = await fakeJaeger([FULL, NOT_FOUND, FULL, FULL]);
    const result = await poll(jaeger.url, { isComplete: connected });
    expect(result).toMatchObject({ complete: true, polls: 4 });
  });

  it('answers incomplete, with the last spans seen, when the trace never connects', async () => {
    const jaeger = await fakeJaeger([only(WEB_SPAN_ID, SERVER_SPAN_ID), API_ONLY]);
    const result = await poll(jaeger.url, { timeoutMs: 100, isComplete: connected });
    expect(result.complete).toBe(false);
    expect(result.last?.trace.spans).toHaveLength(3);
    // It kept polling until the deadline, however slow the machine.
    expect(result.waitedMs).toBeGreaterThanOrEqual(100);
    expect(result.polls).toBeGreaterThan(1);
  });

  it('on onError "retry" polls on past failures; on "stop" returns at the first one', async () => {
    const replies: Reply[] = [{ status: 500, body: 'storage down' }, FULL];
    const retrying = await fakeJaeger(replies);
    const retried = await poll(retrying.url);
    expect(retried).toMatchObject({ complete: true, polls: 3, lastErrorPoll: 1 });
    expect(retried.lastError).toBeInstanceOf(JaegerUnreachableError);

    const stopping = await fakeJaeger(replies);
    const stopped = await poll(stopping.url, { onError: 'stop' });
    expect(stopped).toMatchObject({ complete: false, polls: 1, last: undefined, lastErrorPoll: 1 });
    expect(stopped.lastError).toBeInstanceOf(JaegerUnreachableError);
  });

  it('on "stop" keeps the spans it saw before the failure', async () => {
    const jaeger = await fakeJaeger([API_ONLY, { status: 500, body: 'oops' }]);
    const result = await poll(jaeger.url, { onError: 'stop', isComplete: connected });
    expect(result).toMatchObject({ complete: false, polls: 2 });
    expect(result.last?.trace.spans).toHaveLength(3);
  });

  it('bounds each request by requestTimeoutMs', async () => {
    const jaeger = await fakeJaeger(['hang']);
    const started = performance.now();
    const result = await poll(jaeger.url, { timeoutMs: 5000, onError: 'stop', requestTimeoutMs: 100 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(errorText(result.lastError)).toContain('no answer within 100 ms');
  });

  it('stops polling when its signal aborts', async () => {
    const jaeger = await fakeJaeger([NOT_FOUND]);
    // Counted as the poller calls fetch, not as requests reach the server.
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests += 1;
      return fetch(input, init);
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('client went away')), 50);
    await expect(
      poll(jaeger.url, { timeoutMs: 5000, signal: controller.signal, fetch: counting }),
    ).rejects.toThrow('client went away');
    const atAbort = requests;
    expect(atAbort).toBeGreaterThan(1);
    // Polls were 5 ms apart: 20 intervals without a request is none at all.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requests).toBe(atAbort);
  });

  it('asks Jaeger with the fetch it is given', async () => {
    let calls = 0;
    const fakeFetch: typeof fetch = async () => {
      calls += 1;
      return new Response(JSON.stringify(full), { status: 200 });
    };
    const result = await poll('http://jaeger.invalid', { fetch: fakeFetch });
    expect(result.complete).toBe(true);
    expect(calls).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { loadTrace } from '../../src/api/trace-client';
import type { FetchLike } from '../../src/api/untraced-fetch';
import { clickTrace } from '../spans';

const API = 'http://127.0.0.1:3000';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function answer(status: number, body: unknown): FetchLike {
  return () =>
    Promise.resolve(
      new Response(typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' },
      }),
    );
}

describe('loadTrace', () => {
  it('asks the untraced route with the wait, and returns the checked trace', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const view = { traceId: TRACE_ID, complete: true, spans: clickTrace() };
    const fetchImpl: FetchLike = (url, init) => {
      seen.push({ url, init });
      return answer(200, view)(url, init);
    };
    expect(await loadTrace(API, TRACE_ID, { waitMs: 8000, fetchImpl })).toEqual({
      kind: 'loaded',
      trace: view,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${API}/traces/${TRACE_ID}?wait_ms=8000`);
    expect(seen[0]!.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('names the spans the page knows, and the span its trace hangs below, in the query', async () => {
    const seen: string[] = [];
    const view = { traceId: TRACE_ID, complete: true, spans: clickTrace() };
    const fetchImpl: FetchLike = (url, init) => {
      seen.push(url);
      return answer(200, view)(url, init);
    };
    const options = { waitMs: 100, fetchImpl, parentSpanId: 'e2e0000000000001' };
    await loadTrace(API, TRACE_ID, { ...options, knownSpanIds: ['a000000000000001', 'a000000000000002'] });
    expect(seen).toEqual([
      `${API}/traces/${TRACE_ID}?wait_ms=100&parent_span_id=e2e0000000000001&span_ids=a000000000000001,a000000000000002`,
    ]);
  });

  it('says a 404 means Jaeger never had the trace', async () => {
    const result = await loadTrace(API, TRACE_ID, {
      waitMs: 10_000,
      fetchImpl: answer(404, { statusCode: 404, error: 'Not Found', message: 'no such trace' }),
    });
    expect(result.kind).toBe('not-found');
    expect(result).toHaveProperty(
      'message',
      expect.stringContaining(`Jaeger has no trace ${TRACE_ID} after 10 s`),
    );
    expect(result).toHaveProperty('message', expect.stringContaining('404 Not Found: no such trace'));
  });

  it('says a 503 means Jaeger is unreachable', async () => {
    const result = await loadTrace(API, TRACE_ID, {
      fetchImpl: answer(503, { statusCode: 503, error: 'Service Unavailable', message: 'Jaeger down' }),
    });
    expect(result).toEqual({
      kind: 'unavailable',
      message: 'Jaeger cannot be reached (503 Service Unavailable: Jaeger down).',
    });
  });

  it('reports any other status as a failure', async () => {
    expect(await loadTrace(API, TRACE_ID, { fetchImpl: answer(500, 'oops') })).toEqual({
      kind: 'failed',
      message: '500 Internal Server Error: oops',
    });
  });

  it('rejects a 200 body that breaks the contract, naming the field', async () => {
    const result = await loadTrace(API, TRACE_ID, {
      fetchImpl: answer(200, { traceId: TRACE_ID, complete: true, spans: [{ spanId: 'x' }] }),
    });
    expect(result.kind).toBe('failed');
    expect(result).toHaveProperty('message', expect.stringContaining('spans[0].parentSpanId'));
  });

  it('rejects an answer for another trace', async () => {
    const other = { traceId: 'a'.repeat(32), complete: true, spans: [] };
    expect((await loadTrace(API, TRACE_ID, { fetchImpl: answer(200, other) })).kind).toBe('failed');
  });

  it('does not ask for something that is not a trace id', async () => {
    let asked = false;
    const fetchImpl: FetchLike = () => {
      asked = true;
      return Promise.reject(new Error('unreachable'));
    };
    for (const bad of ['', '../status', TRACE_ID.toUpperCase(), '0'.repeat(32)]) {
      expect((await loadTrace(API, bad, { fetchImpl })).kind).toBe('failed');
    }
    expect(asked).toBe(false);
  });

  it('turns a network error into a message naming the API', async () => {
    const result = await loadTrace(API, TRACE_ID, {
      fetchImpl: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    expect(result).toEqual({ kind: 'failed', message: `Could not reach the API at ${API}` });
  });

  it('gives up when no answer comes in time', async () => {
    const hang: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const started = Date.now();
    const result = await loadTrace(API, TRACE_ID, { waitMs: 0, timeoutMs: 50, fetchImpl: hang });
    expect(result).toEqual({
      kind: 'timeout',
      message: `No answer from ${API}/traces/${TRACE_ID}?wait_ms=0 within 50 ms.`,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('rejects with the AbortError when the caller aborts', async () => {
    const controller = new AbortController();
    const hang: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const pending = loadTrace(API, TRACE_ID, { signal: controller.signal, fetchImpl: hang });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

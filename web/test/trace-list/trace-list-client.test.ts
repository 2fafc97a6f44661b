import { describe, expect, it } from 'vitest';
import type { TraceList } from '@tracing-demo/contracts';
import type { FetchLike } from '../../src/api/untraced-fetch';
import { loadTraceList } from '../../src/trace-list/trace-list-client';

const API = 'http://127.0.0.1:3000';
const list: TraceList = {
  services: ['api', 'web'],
  traces: [
    {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      service: 'web',
      rootName: 'user_action GET /',
      startUnixMs: 1_763_900_000_000,
      durationMs: 12,
      spanCount: 6,
      errorCount: 1,
      services: ['web', 'api'],
      connected: true,
    },
  ],
};

function answer(status: number, body: unknown, seen: string[] = []): FetchLike {
  return (url) => {
    seen.push(url);
    return Promise.resolve(
      new Response(typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' },
      }),
    );
  };
}

describe('loadTraceList', () => {
  it('asks the untraced GET /traces for the newest 20 of the last hour, and returns the checked list', async () => {
    const seen: string[] = [];
    expect(await loadTraceList(API, { fetchImpl: answer(200, list, seen) })).toEqual({
      kind: 'loaded',
      list,
    });
    expect(seen).toEqual([`${API}/traces?limit=20&lookback_minutes=60`]);
  });

  it('asks for one service, encoded', async () => {
    const seen: string[] = [];
    await loadTraceList(API, { service: 'web', limit: 5, fetchImpl: answer(200, list, seen) });
    await loadTraceList(API, {
      service: 'a b&c',
      fetchImpl: answer(200, { services: [], traces: [] }, seen),
    });
    expect(seen).toEqual([
      `${API}/traces?service=web&limit=5&lookback_minutes=60`,
      `${API}/traces?service=a+b%26c&limit=20&lookback_minutes=60`,
    ]);
  });

  it('says a body that breaks the contract does, naming the field', async () => {
    expect(await loadTraceList(API, { fetchImpl: answer(200, { services: ['web'] }) })).toEqual({
      kind: 'failed',
      message: "The API's trace list does not match the contract: traces is missing.",
    });
  });

  it('says Jaeger cannot be read on a 502 or 503, with the API message', async () => {
    const down = {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Jaeger is not reachable at http://j',
    };
    expect(await loadTraceList(API, { fetchImpl: answer(503, down) })).toEqual({
      kind: 'unavailable',
      message: 'The API cannot read Jaeger (503 Service Unavailable: Jaeger is not reachable at http://j).',
    });
    expect((await loadTraceList(API, { fetchImpl: answer(502, 'bad gateway') })).kind).toBe('unavailable');
  });

  it("passes a 400 on as the API's message, and a network failure as unreachable", async () => {
    const bad = { statusCode: 400, error: 'Bad Request', message: 'querystring/limit must be <= 100' };
    expect(await loadTraceList(API, { fetchImpl: answer(400, bad) })).toEqual({
      kind: 'failed',
      message: '400 Bad Request: querystring/limit must be <= 100',
    });
    expect(
      await loadTraceList(API, { fetchImpl: () => Promise.reject(new TypeError('Failed to fetch')) }),
    ).toEqual({ kind: 'failed', message: `Could not reach the API at ${API}` });
  });

  it('rejects with the AbortError when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      loadTraceList(API, {
        signal: controller.signal,
        fetchImpl: (_url, init) => Promise.reject(init.signal?.reason as Error),
      }),
    ).rejects.toThrow();
  });
});

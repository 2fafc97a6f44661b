import { describe, expect, it } from 'vitest';
import type { StatusLoad } from '../../src/api/status-client';
import { loadStatus, traceBlockedReason } from '../../src/api/status-client';
import type { FetchLike } from '../../src/api/untraced-fetch';

const API = 'http://127.0.0.1:3000';
const part = (reachable: boolean) => ({ reachable, url: 'http://x/' });

const json =
  (status: number, body: unknown): FetchLike =>
  () =>
    Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    );

describe('loadStatus', () => {
  it('asks GET /status and returns each part', async () => {
    let url = '';
    const body = {
      collector: part(true),
      jaeger: part(false),
      inventory: part(true),
      sampling: { topology: 'single' },
      jaegerUi: 'real',
    };
    const result = await loadStatus(API, {
      fetchImpl: (input, init) => {
        url = input;
        return json(200, body)(input, init);
      },
    });
    expect(url).toBe(`${API}/status`);
    expect(result).toEqual({ kind: 'loaded', status: body });
  });

  it('reports a failed status request instead of throwing', async () => {
    expect(
      await loadStatus(API, { fetchImpl: json(500, { error: 'Internal Server Error', message: 'x' }) }),
    ).toEqual({
      kind: 'failed',
      message: '500 Internal Server Error: x',
    });
    expect(
      await loadStatus(API, { fetchImpl: () => Promise.reject(new TypeError('Failed to fetch')) }),
    ).toEqual({
      kind: 'failed',
      message: `Could not reach the API at ${API}`,
    });
    expect(await loadStatus(API, { fetchImpl: json(200, { up: true }) })).toEqual({
      kind: 'failed',
      message:
        'The status does not match its contract: collector is missing (and jaeger, inventory, sampling, jaegerUi).',
    });
  });
});

describe('traceBlockedReason', () => {
  const loaded = (collector: boolean, jaeger: boolean): StatusLoad => ({
    kind: 'loaded',
    status: {
      collector: part(collector),
      jaeger: part(jaeger),
      inventory: part(false),
      sampling: { topology: 'single' },
      jaegerUi: 'placeholder',
    },
  });

  it('blocks nothing while the status is unknown, failed, or all up', () => {
    expect(traceBlockedReason(undefined)).toBeUndefined();
    expect(traceBlockedReason({ kind: 'failed', message: 'x' })).toBeUndefined();
    expect(traceBlockedReason(loaded(true, true))).toBeUndefined();
  });

  it('blocks when the Collector or Jaeger is down (not the inventory)', () => {
    expect(traceBlockedReason(loaded(false, true))).toMatch(/Collector is unreachable/);
    expect(traceBlockedReason(loaded(true, false))).toMatch(/Jaeger is unreachable/);
    expect(traceBlockedReason(loaded(false, false))).toMatch(/Collector and Jaeger/);
  });
});

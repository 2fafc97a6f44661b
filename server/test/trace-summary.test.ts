import { describe, expect, it } from 'vitest';
import { Trace, type TraceSpan } from '@tracing-demo/trace-assert/model';
import { traceSummaries, traceSummary, TraceSummaryError } from '../src/trace-summary.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const T0 = 1_763_900_000_000;

let nextId = 0;
function span(traceId: string, fields: Partial<TraceSpan> & Pick<TraceSpan, 'service' | 'name'>): TraceSpan {
  nextId += 1;
  return {
    traceId,
    spanId: nextId.toString(16).padStart(16, '0'),
    kind: 'INTERNAL',
    startMs: T0,
    durationMs: 1,
    attributes: {},
    resource: { 'service.name': fields.service },
    status: { code: 'UNSET' },
    events: [],
    ...fields,
  };
}

/** web user action → web fetch → api SERVER (error) → inventory SERVER. */
function clickTrace(traceId: string, startMs: number): TraceSpan[] {
  const action = span(traceId, {
    service: 'web',
    name: 'user_action GET /items/{id}',
    startMs,
    durationMs: 30,
  });
  const fetch = span(traceId, {
    service: 'web',
    name: 'GET',
    kind: 'CLIENT',
    parentSpanId: action.spanId,
    startMs: startMs + 1,
    durationMs: 28,
  });
  const server = span(traceId, {
    service: 'api',
    name: 'GET /items/:id',
    kind: 'SERVER',
    parentSpanId: fetch.spanId,
    startMs: startMs + 5,
    durationMs: 20,
    status: { code: 'ERROR', message: 'inventory answered 500' },
  });
  const inventory = span(traceId, {
    service: 'inventory',
    name: 'GET /stock/:id',
    kind: 'SERVER',
    parentSpanId: server.spanId,
    startMs: startMs + 8,
    // Ends after everything else: the duration runs to the latest end.
    durationMs: 40,
    status: { code: 'ERROR' },
  });
  return [action, fetch, server, inventory];
}

describe('traceSummary', () => {
  it('names a connected trace after its root: service, name, start, span and error counts', () => {
    expect(traceSummary(new Trace(A, clickTrace(A, T0)))).toEqual({
      traceId: A,
      service: 'web',
      rootName: 'user_action GET /items/{id}',
      startUnixMs: T0,
      durationMs: 48,
      spanCount: 4,
      errorCount: 2,
      services: ['web', 'api', 'inventory'],
      connected: true,
    });
  });

  it('without its root (still on its way), names it after the earliest span whose parent is missing', () => {
    const [, , server, inventory] = clickTrace(A, T0);
    // The API's spans were exported before the browser's: the fetch span is not there yet.
    const summary = traceSummary(new Trace(A, [inventory!, server!]));
    expect(summary).toMatchObject({
      service: 'api',
      rootName: 'GET /items/:id',
      spanCount: 2,
      connected: false,
    });
  });

  it('with two roots, names it after the earlier one and says it is not connected', () => {
    const late = span(A, { service: 'api', name: 'late root', startMs: T0 + 10 });
    const early = span(A, { service: 'e2e', name: 'early root', startMs: T0 });
    expect(traceSummary(new Trace(A, [late, early]))).toMatchObject({
      service: 'e2e',
      rootName: 'early root',
      services: ['e2e', 'api'],
      connected: false,
    });
  });

  it('in a parent cycle (no root, no orphan), names it after the earliest span', () => {
    const first = span(A, { service: 'api', name: 'first', startMs: T0, parentSpanId: 'ffffffffffffff02' });
    const second = {
      ...span(A, { service: 'api', name: 'second', startMs: T0 + 1 }),
      spanId: 'ffffffffffffff02',
    };
    second.parentSpanId = first.spanId;
    expect(traceSummary(new Trace(A, [second, first]))).toMatchObject({
      rootName: 'first',
      connected: false,
    });
  });

  it('counts a one-span trace as connected, lasting that span', () => {
    const only = span(A, { service: 'e2e', name: 'test', durationMs: 12.5 });
    expect(traceSummary(new Trace(A, [only]))).toMatchObject({
      spanCount: 1,
      durationMs: 12.5,
      connected: true,
    });
  });

  it('rejects a trace without spans', () => {
    expect(() => traceSummary(new Trace(A, []))).toThrow(TraceSummaryError);
    expect(() => traceSummary(new Trace(A, []))).toThrow(`trace ${A} has no spans`);
  });

  it('rejects a trace holding a span of another trace', () => {
    const stray = span(B, { service: 'api', name: 'stray' });
    expect(() => traceSummary(new Trace(A, [...clickTrace(A, T0), stray]))).toThrow(
      `trace ${A} holds span ${stray.spanId} of trace ${B}`,
    );
  });
});

describe('traceSummaries', () => {
  const spans = [...clickTrace(A, T0), ...clickTrace(B, T0 + 2000), ...clickTrace(C, T0 + 1000)];

  it('groups the spans of a search by trace, the newest first', () => {
    const summaries = traceSummaries(spans, 10);
    expect(summaries.map((s) => s.traceId)).toEqual([B, C, A]);
    expect(summaries.every((s) => s.spanCount === 4)).toBe(true);
  });

  it('keeps at most `limit` traces, the newest', () => {
    expect(traceSummaries(spans, 2).map((s) => s.traceId)).toEqual([B, C]);
  });

  it('puts traces that started at the same time in trace id order', () => {
    const same = [...clickTrace(C, T0), ...clickTrace(A, T0), ...clickTrace(B, T0)];
    expect(traceSummaries(same, 3).map((s) => s.traceId)).toEqual([A, B, C]);
  });

  it('gives an empty list for no spans', () => {
    expect(traceSummaries([], 5)).toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects the limit %s', (limit) => {
    expect(() => traceSummaries(spans, limit)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { Trace } from '../src/model.ts';
import type { TraceSpan } from '../src/model.ts';
import { parseOtlpTrace } from '../src/otlp-json.ts';
import {
  HANDLER_SPAN_ID,
  OK_TRACE_ID,
  REQUEST_SPAN_ID,
  SERVER_SPAN_ID,
  WEB_SPAN_ID,
  loadJson,
  loadTrace,
  withoutSpans,
} from './helpers.ts';

/** A span with just the fields the tree needs. */
function span(spanId: string, parentSpanId: string | undefined, startMs = 0): TraceSpan {
  return {
    traceId: OK_TRACE_ID,
    spanId,
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    service: 'api',
    name: spanId,
    kind: 'INTERNAL',
    startMs,
    durationMs: 1,
    attributes: {},
    resource: {},
    status: { code: 'UNSET' },
    events: [],
  };
}

describe('Trace', () => {
  const trace = loadTrace('items-ok');

  it('indexes children, roots and orphans', () => {
    expect(trace.children(WEB_SPAN_ID).map((s) => s.spanId)).toEqual([SERVER_SPAN_ID]);
    expect(trace.children(SERVER_SPAN_ID).map((s) => s.spanId)).toEqual([REQUEST_SPAN_ID]);
    expect(trace.children(HANDLER_SPAN_ID)).toEqual([]);
    expect(trace.roots().map((s) => s.spanId)).toEqual([WEB_SPAN_ID]);
    expect(trace.orphans()).toEqual([]);
    expect(trace.ancestors(trace.span(HANDLER_SPAN_ID)!).map((s) => s.spanId)).toEqual([
      REQUEST_SPAN_ID,
      SERVER_SPAN_ID,
      WEB_SPAN_ID,
    ]);
    expect(trace.span('0000000000000bad')).toBeUndefined();
  });

  it('reports a span whose parent is missing as an orphan, not a root', () => {
    const partial = parseOtlpTrace(withoutSpans(loadJson('items-ok'), (s) => s.spanId === WEB_SPAN_ID));
    expect(partial.roots()).toEqual([]);
    expect(partial.orphans().map((s) => s.spanId)).toEqual([SERVER_SPAN_ID]);
  });

  it('sorts spans by start time and keeps the link option', () => {
    const [a, b] = trace.spans;
    if (!a || !b) throw new Error('fixture');
    const sorted = new Trace(OK_TRACE_ID, [b, a], { link: 'http://jaeger:16686/trace/x' });
    expect(sorted.spans).toEqual([a, b]);
    expect(sorted.link).toBe('http://jaeger:16686/trace/x');
  });

  it('keeps one copy of a span stored twice (an exporter retry), the first', () => {
    const first = span('a', undefined);
    const again = { ...span('a', undefined), name: 'copy' };
    const twice = new Trace(OK_TRACE_ID, [first, span('b', 'a', 1), again]);
    expect(twice.spans.map((s) => s.name)).toEqual(['a', 'b']);
    expect(twice.roots()).toEqual([first]);
    expect(twice.children('a').map((s) => s.spanId)).toEqual(['b']);
    expect(twice.isConnected()).toBe(true);
  });
});

describe('Trace.isConnected / detached', () => {
  const of = (...spans: TraceSpan[]) => new Trace(OK_TRACE_ID, spans);

  it('accepts one root with every parent present', () => {
    const connected = of(span('a', undefined), span('b', 'a'), span('c', 'b'), span('d', 'a'));
    expect(connected.isConnected()).toBe(true);
    expect(connected.detached()).toEqual([]);
    expect(loadTrace('items-ok').isConnected()).toBe(true);
  });

  it('accepts a single root span', () => {
    expect(of(span('a', undefined)).isConnected()).toBe(true);
  });

  it.each([
    ['zero spans', [], []],
    ['two roots', [span('a', undefined), span('b', undefined)], ['a', 'b']],
    ['a missing parent', [span('a', undefined), span('b', 'x')], ['b']],
    ['no root (the root is not exported yet)', [span('b', 'a'), span('c', 'b')], ['b', 'c']],
    ['a parent cycle beside the root', [span('r', undefined), span('b', 'c'), span('c', 'b')], ['b', 'c']],
  ])('rejects %s', (_label, spans, detached) => {
    const trace = of(...spans);
    expect(trace.isConnected()).toBe(false);
    expect(trace.detached().map((s) => s.spanId)).toEqual(detached);
  });
});

describe('Trace.isConnectedBelow', () => {
  const of = (...spans: TraceSpan[]) => new Trace(OK_TRACE_ID, spans);

  it('accepts every chain topped by a child of the outside span, absent from the trace', () => {
    // Two user actions of one test: both children of the test's span `t`, which Jaeger does not have yet.
    expect(of(span('a', 't'), span('b', 'a'), span('c', 't'), span('d', 'c')).isConnectedBelow('t')).toBe(
      true,
    );
  });

  it('is isConnected() once the outside span is in the trace', () => {
    expect(of(span('t', undefined), span('a', 't'), span('b', 'a')).isConnectedBelow('t')).toBe(true);
    expect(of(span('t', undefined), span('a', 't'), span('b', 'x')).isConnectedBelow('t')).toBe(false);
  });

  it.each([
    ['zero spans', []],
    ['a root of its own beside it', [span('a', 't'), span('r', undefined)]],
    ['an orphan of another missing span', [span('a', 't'), span('b', 'x')]],
    ['a parent cycle', [span('a', 't'), span('b', 'c'), span('c', 'b')]],
    ['a trace below another span only', [span('a', 'u'), span('b', 'a')]],
  ])('rejects %s', (_label, spans) => {
    expect(of(...spans).isConnectedBelow('t')).toBe(false);
  });
});

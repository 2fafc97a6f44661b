import { describe, expect, it } from 'vitest';
import type { TraceSpan } from '@tracing-demo/trace-assert/model';
import { traceFromSpans } from '@tracing-demo/trace-assert/otlp-json';
import { callerView, isTraceComplete, missingSpanIds, parseSpanIdList } from '../src/trace-completeness.ts';

const TEST = 'e2e0000000000001';
const ACTION = 'a000000000000001';
const FETCH = 'a000000000000002';
const SERVER = 'b000000000000001';
const KNOWN = [ACTION, FETCH, SERVER];

function span(spanId: string, parentSpanId: string | undefined, name = spanId): TraceSpan {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId,
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    service: spanId.startsWith('a') ? 'web' : 'api',
    name,
    kind: 'INTERNAL',
    startMs: 1000,
    durationMs: 5,
    attributes: {},
    resource: {},
    status: { code: 'UNSET' },
    events: [],
  };
}

/** The click's spans, its user action a root (no meta) or a child of the test span. */
const click = (parent?: string) => [span(ACTION, parent), span(FETCH, ACTION), span(SERVER, FETCH)];
const trace = (spans: TraceSpan[]) => traceFromSpans(spans);

describe('isTraceComplete', () => {
  it('accepts the whole click, as a root or below the test span', () => {
    expect(isTraceComplete(trace(click()), { knownSpanIds: KNOWN })).toBe(true);
    expect(isTraceComplete(trace(click(TEST)), { parentSpanId: TEST, knownSpanIds: KNOWN })).toBe(true);
  });

  it.each([
    ['the user action alone', [span(ACTION, undefined)]],
    ['no API span yet', [span(ACTION, undefined), span(FETCH, ACTION)]],
    ['no fetch span yet (the API span an orphan)', [span(ACTION, undefined), span(SERVER, FETCH)]],
  ])('rejects %s', (_label, spans) => {
    expect(isTraceComplete(trace(spans), { knownSpanIds: KNOWN })).toBe(false);
  });

  it('rejects the user action alone below the test span, which is connected there', () => {
    const alone = trace([span(ACTION, TEST)]);
    expect(alone.isConnectedBelow(TEST)).toBe(true);
    expect(isTraceComplete(alone, { parentSpanId: TEST, knownSpanIds: KNOWN })).toBe(false);
  });

  it('rejects every known span present but in two trees', () => {
    const spans = [...click(), span('b000000000000009', 'ffffffffffffffff')];
    expect(isTraceComplete(trace(spans), { knownSpanIds: KNOWN })).toBe(false);
  });

  it('rejects a trace below another span than the one given', () => {
    expect(
      isTraceComplete(trace(click(TEST)), { parentSpanId: 'e2e0000000000002', knownSpanIds: KNOWN }),
    ).toBe(false);
  });

  it('with no known spans, is the tree rule alone (a trace opened from the list)', () => {
    expect(isTraceComplete(trace([span(ACTION, undefined)]), { knownSpanIds: [] })).toBe(true);
  });
});

describe('missingSpanIds', () => {
  it('names the known spans the trace lacks, in order, and none when all are there', () => {
    expect(missingSpanIds(trace([span(ACTION, undefined)]), KNOWN)).toEqual([FETCH, SERVER]);
    expect(missingSpanIds(trace(click()), KNOWN)).toEqual([]);
  });
});

describe('parseSpanIdList', () => {
  it('splits the query value; absent is none', () => {
    expect(parseSpanIdList(`${ACTION},${FETCH}`)).toEqual([ACTION, FETCH]);
    expect(parseSpanIdList(undefined)).toEqual([]);
  });
});

describe('callerView', () => {
  const pageLoad = [
    span('a00000000000000d', TEST, 'documentLoad'),
    span('a00000000000000e', 'a00000000000000d'),
  ];

  it("below a test span, keeps the action's branch only, rooted at the user action", () => {
    const view = callerView(trace([...pageLoad, ...click(TEST)]), {
      parentSpanId: TEST,
      knownSpanIds: KNOWN,
    });
    expect(view.spans.map((s) => s.spanId)).toEqual(KNOWN);
    expect(view.roots().map((s) => s.spanId)).toEqual([ACTION]);
  });

  it('keeps the whole trace without a parent, without known spans, or while the action span is missing', () => {
    const whole = trace([...pageLoad, ...click(TEST)]);
    expect(callerView(whole, { knownSpanIds: KNOWN }).spans).toHaveLength(5);
    expect(callerView(whole, { parentSpanId: TEST, knownSpanIds: [] }).spans).toHaveLength(5);
    const noAction = trace([...pageLoad, span(FETCH, ACTION)]);
    expect(callerView(noAction, { parentSpanId: TEST, knownSpanIds: KNOWN }).spans).toHaveLength(3);
  });
});

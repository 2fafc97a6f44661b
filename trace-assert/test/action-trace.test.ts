import { describe, expect, it } from 'vitest';
import { actionTrace } from '../src/action-trace.ts';
import { expect as traceExpect } from '../src/expect.ts';
import type { Trace, TraceSpan } from '../src/model.ts';
import { traceFromSpans } from '../src/otlp-json.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TEST = 'e2e0000000000001';

function span(spanId: string, parentSpanId: string | undefined, service = 'web', name = spanId): TraceSpan {
  return {
    traceId: TRACE_ID,
    spanId,
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    service,
    name,
    kind: 'INTERNAL',
    startMs: 1000 + parseInt(spanId.slice(-2), 16),
    durationMs: 5,
    attributes: {},
    resource: {},
    status: { code: 'UNSET' },
    events: [],
  };
}

/** A test's trace while the test runs: its span not exported yet; the page load and two clicks below it. */
function testTrace(extra: TraceSpan[] = []): TraceSpan[] {
  return [
    span('a000000000000001', TEST, 'web', 'documentLoad'),
    span('a000000000000002', 'a000000000000001', 'web', 'documentFetch'),
    span('b000000000000003', TEST, 'web', 'user_action first'),
    span('b000000000000004', 'b000000000000003', 'web', 'GET'),
    span('b000000000000005', 'b000000000000004', 'api', 'GET /'),
    span('c000000000000006', TEST, 'web', 'user_action second'),
    span('c000000000000007', 'c000000000000006', 'web', 'GET'),
    span('c000000000000008', 'c000000000000007', 'api', 'GET /items/:id'),
    ...extra,
  ];
}

/** Whether the toBeConnectedTrace matcher accepts `trace`. */
function connected(trace: Trace): boolean {
  try {
    traceExpect(trace).toBeConnectedTrace();
    return true;
  } catch {
    return false;
  }
}

describe('actionTrace', () => {
  it("cuts out the action's branch, rooted at its user action, from below the fetch span", () => {
    const whole = traceFromSpans(testTrace());
    expect(connected(whole)).toBe(false);
    const action = actionTrace(whole, 'c000000000000007', TEST);
    expect(action.spans.map((s) => s.name)).toEqual(['user_action second', 'GET', 'GET /items/:id']);
    expect(action.roots().map((s) => s.spanId)).toEqual(['c000000000000006']);
    expect(connected(action)).toBe(true);
    // The spans in it are the trace's own; only the root lost its (test) parent.
    expect(action.span('c000000000000008')).toBe(whole.span('c000000000000008'));
    expect(whole.span('c000000000000006')?.parentSpanId).toBe(TEST);
  });

  it('also from the top span itself, and also once the test span is exported', () => {
    const whole = traceFromSpans([span(TEST, undefined, 'e2e', 'the test'), ...testTrace()]);
    expect(connected(whole)).toBe(true);
    const action = actionTrace(whole, 'b000000000000003', TEST);
    expect(action.spans.map((s) => s.spanId)).toEqual([
      'b000000000000003',
      'b000000000000004',
      'b000000000000005',
    ]);
  });

  it('keeps spans that hang nowhere: a broken link inside the action still fails toBeConnectedTrace', () => {
    const orphan = span('d000000000000009', 'ffffffffffffffff', 'inventory', 'GET /stock/:id');
    const action = actionTrace(traceFromSpans(testTrace([orphan])), 'b000000000000004', TEST);
    expect(action.orphans().map((s) => s.spanId)).toEqual(['d000000000000009']);
    expect(connected(action)).toBe(false);
  });

  it('returns the trace itself without a test span, or for a span not below it', () => {
    const own = traceFromSpans([
      span('b000000000000003', undefined),
      span('b000000000000004', 'b000000000000003'),
    ]);
    expect(actionTrace(own, 'b000000000000004', undefined)).toBe(own);
    expect(actionTrace(own, 'b000000000000004', TEST)).toBe(own);
  });

  it('throws for a span that is not in the trace', () => {
    expect(() => actionTrace(traceFromSpans(testTrace()), '0123456789abcdef', TEST)).toThrow(
      `span 0123456789abcdef is not in trace ${TRACE_ID}`,
    );
  });
});

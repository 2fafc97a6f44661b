import { propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageParentContext, pageParentSpanId, type MetaSource } from '../../src/telemetry/page-trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

/** A document whose `<meta name="traceparent">` has `content` (null: no such meta). */
function docWith(content: string | null, name = 'traceparent'): MetaSource {
  return {
    querySelector: (selector) =>
      content !== null && selector === `meta[name="${name}"]` ? { getAttribute: () => content } : null,
  };
}

describe('pageParentContext', () => {
  // The page's SDK registers the W3C propagator (tracing-sdk.ts); the function reads the meta through it.
  beforeAll(() => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    propagation.disable();
  });

  it('continues a valid traceparent meta: the action span gets its trace id and parent', () => {
    const ctx = pageParentContext(docWith(`00-${TRACE_ID}-${SPAN_ID}-01`));
    expect(trace.getSpanContext(ctx)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
    });
  });

  it('keeps an unsampled flag: the page joins the caller’s sampling decision', () => {
    expect(trace.getSpanContext(pageParentContext(docWith(`00-${TRACE_ID}-${SPAN_ID}-00`)))?.traceFlags).toBe(
      0,
    );
  });

  it("names the meta's span as the parent of the page's own trace only", () => {
    const doc = docWith(`00-${TRACE_ID}-${SPAN_ID}-01`);
    expect(pageParentSpanId(doc, TRACE_ID)).toBe(SPAN_ID);
    expect(pageParentSpanId(doc, 'a'.repeat(32))).toBeUndefined();
    expect(pageParentSpanId(docWith(null), TRACE_ID)).toBeUndefined();
    expect(pageParentSpanId(docWith('garbage'), TRACE_ID)).toBeUndefined();
  });

  it('gives the root context when there is no meta (production: every action its own trace)', () => {
    expect(pageParentContext(docWith(null))).toBe(ROOT_CONTEXT);
    expect(pageParentContext(docWith(`00-${TRACE_ID}-${SPAN_ID}-01`, 'other'))).toBe(ROOT_CONTEXT);
    expect(pageParentContext(undefined)).toBe(ROOT_CONTEXT);
  });

  it.each([
    ['empty', ''],
    ['garbage', 'not-a-traceparent'],
    ['uppercase ids', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with a fifth field', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
  ])('ignores a malformed meta (%s): root context', (_, content) => {
    expect(pageParentContext(docWith(content))).toBe(ROOT_CONTEXT);
  });

  it('gives the root context without a registered propagator (the SDK did not load)', () => {
    propagation.disable();
    try {
      expect(pageParentContext(docWith(`00-${TRACE_ID}-${SPAN_ID}-01`))).toBe(ROOT_CONTEXT);
    } finally {
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    }
  });
});

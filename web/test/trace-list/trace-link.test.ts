import { describe, expect, it } from 'vitest';
import { traceLinkTarget } from '../../src/trace-list/trace-link';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const JAEGER = 'http://127.0.0.1:16686/';

describe('traceLinkTarget', () => {
  it("goes to the trace in Jaeger's UI where Jaeger serves the real one", () => {
    expect(traceLinkTarget(TRACE_ID, JAEGER, 'real')).toEqual({
      href: `http://127.0.0.1:16686/trace/${TRACE_ID}`,
      inJaeger: true,
    });
  });

  it("never to Jaeger's placeholder page: to the page's trace list with the trace opened", () => {
    expect(traceLinkTarget(TRACE_ID, JAEGER, 'placeholder')).toEqual({
      href: `#/traces/${TRACE_ID}`,
      inJaeger: false,
    });
  });

  it('to the trace list as well while what Jaeger serves is unknown', () => {
    expect(traceLinkTarget(TRACE_ID, JAEGER, 'unknown').inJaeger).toBe(false);
    expect(traceLinkTarget(TRACE_ID, JAEGER, undefined).href).toBe(`#/traces/${TRACE_ID}`);
  });
});

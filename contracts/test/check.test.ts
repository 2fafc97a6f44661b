import { describe, expect, it } from 'vitest';
import { ContractError, checked } from '../src/check.ts';
import { StackStatusSchema } from '../src/status.ts';
import { StockSchema } from '../src/stock.ts';
import { TraceViewSchema } from '../src/traces.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const span = {
  spanId: 'a1',
  parentSpanId: null,
  service: 'web',
  name: 'click',
  kind: 'internal',
  startUnixMs: 1,
  durationMs: 2,
  status: { code: 'unset' },
  attributes: { 'app.scenario': 'item', list: [1, 2] },
  events: [],
};

/** The problem `checked` reports for `value`, or undefined if it passes. */
function problem(schema: Parameters<typeof checked>[0], value: unknown): string | undefined {
  try {
    checked(schema, value, 'The body');
    return undefined;
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    expect(error.message).toBe(`The body does not match its contract: ${error.problem}.`);
    return error.problem;
  }
}

describe('checked', () => {
  it('returns the value, typed, when it matches', () => {
    const stock = checked(StockSchema, { item_id: 5, name: 'blue lamp', stock: 1 }, 'The stock');
    expect(stock.stock).toBe(1);
    const view = { traceId: TRACE_ID, complete: true, spans: [span] };
    expect(checked(TraceViewSchema, view, 'The trace')).toBe(view);
  });

  it.each([
    ['not an object', [], '(root) must be object, got an array'],
    ['a missing field at the top', { traceId: TRACE_ID, spans: [] }, 'complete is missing'],
    ['several missing fields', {}, 'traceId is missing (and complete, spans)'],
    [
      'a missing field deep down',
      { traceId: TRACE_ID, complete: true, spans: [{ spanId: 'x' }] },
      'spans[0].parentSpanId is missing',
    ],
    ['a bad trace id', { traceId: 'xyz', complete: true, spans: [] }, 'traceId must match pattern'],
    [
      'a value outside an enum',
      { traceId: TRACE_ID, complete: true, spans: [{ ...span, kind: 'SPAN_KIND_SERVER' }] },
      'spans[0].kind must be one of internal, server, client, producer, consumer, got "SPAN_KIND_SERVER"',
    ],
    [
      'a value outside a union',
      { traceId: TRACE_ID, complete: true, spans: [{ ...span, parentSpanId: '' }] },
      'spans[0].parentSpanId must not have fewer than 1 characters or must be null, got ""',
    ],
    [
      'an attribute value outside the OpenTelemetry types',
      { traceId: TRACE_ID, complete: true, spans: [{ ...span, attributes: { nested: { a: 1 } } }] },
      'spans[0].attributes.nested must be string or must be number or must be boolean or must be array, got an object',
    ],
  ])('names the first field that breaks it: %s', (_label, value, expected) => {
    expect(problem(TraceViewSchema, value)).toContain(expected);
  });

  it('rejects the status of an API that leaves a part out or samples in an unknown way', () => {
    const part = { reachable: true, url: 'http://127.0.0.1:13133/' };
    const status = {
      collector: part,
      jaeger: part,
      inventory: part,
      sampling: { topology: 'single' },
      jaegerUi: 'placeholder',
    };
    expect(problem(StackStatusSchema, status)).toBeUndefined();
    const withoutInventory = Object.fromEntries(
      Object.entries(status).filter(([key]) => key !== 'inventory'),
    );
    expect(problem(StackStatusSchema, withoutInventory)).toBe('inventory is missing');
    expect(problem(StackStatusSchema, { ...status, sampling: { topology: 'mesh' } })).toContain('sampling');
    expect(problem(StackStatusSchema, { ...status, jaegerUi: 'maybe' })).toBe(
      'jaegerUi must be one of real, placeholder, unknown, got "maybe"',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ContractError, isTraceId, parseStackStatus, parseTraceView } from '../../src/api/trace-view-parse';
import { clickTrace } from '../spans';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const body = (overrides: Record<string, unknown> = {}) => ({
  traceId: TRACE_ID,
  complete: true,
  spans: clickTrace(),
  ...overrides,
});
/** The body with span 0's field `key` set to `value` (undefined: removed). */
function withSpanField(key: string, value: unknown) {
  const spans: Record<string, unknown>[] = clickTrace().map((s) => ({ ...s }));
  if (value === undefined) delete spans[0]![key];
  else spans[0]![key] = value;
  return body({ spans });
}

describe('isTraceId', () => {
  it('accepts 32 lower-case hex digits, not all zero', () => {
    expect(isTraceId(TRACE_ID)).toBe(true);
    for (const bad of [
      TRACE_ID.toUpperCase(),
      TRACE_ID.slice(1),
      `${TRACE_ID}0`,
      '0'.repeat(32),
      'g'.repeat(32),
      5,
    ]) {
      expect(isTraceId(bad), String(bad)).toBe(false);
    }
  });
});

describe('parseTraceView', () => {
  it('accepts the contract', () => {
    const view = parseTraceView(body(), TRACE_ID);
    expect(view.traceId).toBe(TRACE_ID);
    expect(view.complete).toBe(true);
    expect(view.spans).toEqual(clickTrace());
  });

  it('accepts an incomplete trace with no spans', () => {
    expect(parseTraceView(body({ complete: false, spans: [] }))).toEqual({
      traceId: TRACE_ID,
      complete: false,
      spans: [],
    });
  });

  it('reads an empty parent id as a root, and defaults missing attributes and events', () => {
    const spans = clickTrace().map((s) => ({ ...s })) as Record<string, unknown>[];
    spans[0]!.parentSpanId = '';
    delete spans[1]!.attributes;
    delete spans[1]!.events;
    const view = parseTraceView(body({ spans }));
    expect(view.spans[0]!.parentSpanId).toBeNull();
    expect(view.spans[1]!.attributes).toEqual({});
    expect(view.spans[1]!.events).toEqual([]);
  });

  it('keeps attribute values outside the OpenTelemetry types as JSON text', () => {
    const view = parseTraceView(
      withSpanField('attributes', {
        ok: 'x',
        list: [1, 2],
        nested: { a: 1 },
        mixed: [1, 'a'],
        nothing: null,
      }),
    );
    expect(view.spans[0]!.attributes).toEqual({
      ok: 'x',
      list: [1, 2],
      nested: '{"a":1}',
      mixed: '[1,"a"]',
      nothing: 'null',
    });
  });

  it('keeps events with their attributes', () => {
    const events = [{ name: 'exception', timeUnixMs: 1.5, attributes: { 'exception.message': 'boom' } }];
    expect(parseTraceView(withSpanField('events', events)).spans[0]!.events).toEqual(events);
  });

  it.each([
    ['not an object', [], 'The trace must be a JSON object, got an array.'],
    [
      'a bad trace id',
      body({ traceId: 'xyz' }),
      'traceId must be 32 lower-case hex digits, not all zero, got "xyz".',
    ],
    ['complete missing', body({ complete: undefined }), 'complete must be true or false, got undefined.'],
    ['spans not an array', body({ spans: {} }), 'spans must be an array, got an object.'],
    ['a span not an object', body({ spans: [null] }), 'spans[0] must be an object, got null.'],
    ['an empty span id', withSpanField('spanId', ''), 'spans[0].spanId must be a non-empty string, got "".'],
    [
      'a numeric parent id',
      withSpanField('parentSpanId', 5),
      'spans[0].parentSpanId must be a string or null, got 5.',
    ],
    [
      'a missing parent id',
      withSpanField('parentSpanId', undefined),
      'spans[0].parentSpanId must be a string or null',
    ],
    [
      'an OTLP-style kind',
      withSpanField('kind', 'SPAN_KIND_SERVER'),
      'spans[0].kind must be one of internal',
    ],
    [
      'a start as a string',
      withSpanField('startUnixMs', '17'),
      'spans[0].startUnixMs must be a finite number, got "17".',
    ],
    [
      'a NaN duration',
      withSpanField('durationMs', Number.NaN),
      'spans[0].durationMs must be a finite number, got NaN.',
    ],
    [
      'a status as a string',
      withSpanField('status', 'error'),
      'spans[0].status must be an object, got "error".',
    ],
    [
      'an unknown status code',
      withSpanField('status', { code: 'ERROR' }),
      'spans[0].status.code must be one of unset, ok, error',
    ],
    [
      'a numeric status message',
      withSpanField('status', { code: 'error', message: 1 }),
      'status.message must be a string',
    ],
    [
      'attributes as an array',
      withSpanField('attributes', []),
      'spans[0].attributes must be an object, got an array.',
    ],
    ['events not an array', withSpanField('events', {}), 'spans[0].events must be an array, got an object.'],
    [
      'an event without time',
      withSpanField('events', [{ name: 'e', attributes: {} }]),
      'spans[0].events[0].timeUnixMs',
    ],
  ])('rejects %s', (_, input, message) => {
    expect(() => parseTraceView(input)).toThrow(ContractError);
    expect(() => parseTraceView(input)).toThrow(message);
  });

  it('rejects the wrong trace', () => {
    expect(() => parseTraceView(body(), 'a'.repeat(32))).toThrow(`the trace asked for (${'a'.repeat(32)})`);
  });
});

describe('parseStackStatus', () => {
  const part = (reachable: boolean) => ({ reachable, url: 'http://127.0.0.1:13133/' });

  it('accepts the contract', () => {
    expect(parseStackStatus({ collector: part(true), jaeger: part(false), inventory: part(true) })).toEqual({
      collector: part(true),
      jaeger: part(false),
      inventory: part(true),
      sampling: { topology: 'single' },
    });
    const gateway = { topology: 'gateway', percent: 10, latencyMs: 1000 };
    expect(parseStackStatus({ collector: part(true), sampling: gateway }).sampling).toEqual(gateway);
  });

  it('reads a malformed or unknown sampling as every trace kept', () => {
    for (const sampling of [
      undefined,
      'gateway',
      { topology: 'gateway' },
      { topology: 'mesh', percent: 1, latencyMs: 1 },
    ])
      expect(parseStackStatus({ collector: part(true), sampling }).sampling).toEqual({ topology: 'single' });
  });

  it('leaves a missing or malformed part unknown', () => {
    expect(parseStackStatus({ collector: part(true), jaeger: { reachable: 'yes' } })).toEqual({
      collector: part(true),
      jaeger: undefined,
      inventory: undefined,
      sampling: { topology: 'single' },
    });
  });

  it('rejects a body with no usable part', () => {
    expect(() => parseStackStatus('ok')).toThrow(ContractError);
    expect(() => parseStackStatus({})).toThrow('none of collector, jaeger, inventory');
    expect(() => parseStackStatus({ collector: true })).toThrow(ContractError);
  });
});

import { describe, expect, it } from 'vitest';
import { ContractError, parseStackStatus, parseTraceView } from '../../src/api/trace-view-parse';
import { clickTrace } from '../spans';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const body = (overrides: Record<string, unknown> = {}) => ({
  traceId: TRACE_ID,
  complete: true,
  spans: clickTrace(),
  ...overrides,
});
/** The body with span `index`'s field `key` set to `value` (undefined: removed). */
function withSpanField(key: string, value: unknown, index = 0) {
  const spans: Record<string, unknown>[] = clickTrace().map((s) => ({ ...s }));
  if (value === undefined) delete spans[index]![key];
  else spans[index]![key] = value;
  return body({ spans });
}

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

  it('keeps events with their attributes, and every OpenTelemetry attribute type', () => {
    const events = [{ name: 'exception', timeUnixMs: 1.5, attributes: { 'exception.message': 'boom' } }];
    expect(parseTraceView(withSpanField('events', events)).spans[0]!.events).toEqual(events);
    const attributes = { s: 'x', n: 1.5, b: true, ss: ['a'], ns: [1, 2], bs: [false], none: [] };
    expect(parseTraceView(withSpanField('attributes', attributes)).spans[0]!.attributes).toEqual(attributes);
  });

  it.each([
    ['not an object', [], 'The trace does not match its contract: (root) must be object, got an array.'],
    ['a bad trace id', body({ traceId: 'xyz' }), 'traceId must match pattern'],
    ['an all-zero trace id', body({ traceId: '0'.repeat(32) }), 'traceId must match pattern'],
    ['complete missing', body({ complete: undefined }), 'complete must be boolean, got nothing'],
    ['spans not an array', body({ spans: {} }), 'spans must be array, got an object'],
    ['a span not an object', body({ spans: [null] }), 'spans[0] must be object, got null'],
    [
      'an empty span id',
      withSpanField('spanId', ''),
      'spans[0].spanId must not have fewer than 1 characters',
    ],
    [
      'a numeric parent id',
      withSpanField('parentSpanId', 5),
      'spans[0].parentSpanId must be string or must be null, got 5',
    ],
    ['a missing parent id', withSpanField('parentSpanId', undefined), 'spans[0].parentSpanId is missing'],
    [
      'an empty parent id (a root is null)',
      withSpanField('parentSpanId', ''),
      'spans[0].parentSpanId must not have fewer than 1 characters or must be null, got ""',
    ],
    [
      'an OTLP-style kind',
      withSpanField('kind', 'SPAN_KIND_SERVER'),
      'spans[0].kind must be one of internal, server, client, producer, consumer, got "SPAN_KIND_SERVER"',
    ],
    [
      'a start as a string',
      withSpanField('startUnixMs', '17'),
      'spans[0].startUnixMs must be number, got "17"',
    ],
    ['a negative duration', withSpanField('durationMs', -1), 'spans[0].durationMs must be >= 0, got -1'],
    ['a status as a string', withSpanField('status', 'error'), 'spans[0].status must be object, got "error"'],
    [
      'an unknown status code',
      withSpanField('status', { code: 'ERROR' }),
      'spans[0].status.code must be one of unset, ok, error, got "ERROR"',
    ],
    [
      'a numeric status message',
      withSpanField('status', { code: 'error', message: 1 }),
      'spans[0].status.message must be string, got 1',
    ],
    [
      'attributes as an array',
      withSpanField('attributes', []),
      'spans[0].attributes must be object, got an array',
    ],
    ['missing attributes', withSpanField('attributes', undefined, 1), 'spans[1].attributes is missing'],
    ['missing events', withSpanField('events', undefined, 1), 'spans[1].events is missing'],
    [
      'a nested attribute value',
      withSpanField('attributes', { nested: { a: 1 } }),
      'spans[0].attributes.nested must be string or must be number',
    ],
    [
      'a mixed array attribute',
      withSpanField('attributes', { mixed: [1, 'a'] }),
      'spans[0].attributes.mixed',
    ],
    ['a null attribute', withSpanField('attributes', { nothing: null }), 'spans[0].attributes.nothing'],
    ['events not an array', withSpanField('events', {}), 'spans[0].events must be array, got an object'],
    [
      'an event without time',
      withSpanField('events', [{ name: 'e', attributes: {} }]),
      'spans[0].events[0].timeUnixMs is missing',
    ],
  ])('rejects %s, naming the field', (_, input, message) => {
    expect(() => parseTraceView(input)).toThrow(ContractError);
    expect(() => parseTraceView(input)).toThrow(message);
  });

  it('rejects the wrong trace', () => {
    expect(() => parseTraceView(body(), 'a'.repeat(32))).toThrow(
      `traceId must be the trace asked for (${'a'.repeat(32)}), got "${TRACE_ID}"`,
    );
  });
});

describe('parseStackStatus', () => {
  const part = (reachable: boolean) => ({ reachable, url: 'http://127.0.0.1:13133/' });
  const status = (overrides: Record<string, unknown> = {}) => ({
    collector: part(true),
    jaeger: part(false),
    inventory: part(true),
    sampling: { topology: 'single' },
    jaegerUi: 'placeholder',
    ...overrides,
  });

  it('accepts the contract, with either sampling', () => {
    expect(parseStackStatus(status())).toEqual(status());
    const gateway = { topology: 'gateway', percent: 10, latencyMs: 1000 };
    expect(parseStackStatus(status({ sampling: gateway })).sampling).toEqual(gateway);
  });

  it.each([
    ['a body that is not an object', 'ok', '(root) must be object, got "ok"'],
    ['an empty object', {}, 'collector is missing (and jaeger, inventory, sampling, jaegerUi)'],
    ['a part that is not one', status({ collector: true }), 'collector must be object, got true'],
    [
      'a malformed part',
      status({ jaeger: { reachable: 'yes', url: 'x' } }),
      'jaeger.reachable must be boolean',
    ],
    ['a missing part', status({ inventory: undefined }), 'inventory must be object, got nothing'],
    ['no sampling', status({ sampling: undefined }), 'sampling'],
    ['a sampling of an unknown topology', status({ sampling: { topology: 'mesh' } }), 'sampling'],
    ['a gateway sampling without its numbers', status({ sampling: { topology: 'gateway' } }), 'sampling'],
    [
      'an unknown kind of Jaeger UI',
      status({ jaegerUi: 'maybe' }),
      'jaegerUi must be one of real, placeholder, unknown, got "maybe"',
    ],
  ])('rejects %s, naming the part', (_, input, message) => {
    expect(() => parseStackStatus(input)).toThrow(ContractError);
    expect(() => parseStackStatus(input)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { parseOtlpTrace } from '@tracing-demo/trace-assert/otlp-json';
import { traceView, viewAttributeValue } from '../src/trace-view.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * What Jaeger 2.13 answers for `GET /api/v3/traces/{id}` (shape recorded from
 * a real web → api → inventory trace, trimmed): OTLP/JSON in `result`, hex
 * ids, numeric kinds and status codes, int64 values as strings, "" parent id
 * absent on the root, one resourceSpans entry per service.
 */
const recorded = {
  result: {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'api' } },
            { key: 'process.pid', value: { intValue: '4242' } },
          ],
        },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-http', version: '0.222.0' },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: 'b7ad6b7169203331',
                parentSpanId: '00f067aa0ba902b7',
                flags: 769,
                name: 'GET /items/:id',
                kind: 2,
                startTimeUnixNano: '1763900000003200000',
                endTimeUnixNano: '1763900000021900000',
                attributes: [
                  { key: 'http.request.method', value: { stringValue: 'GET' } },
                  { key: 'http.response.status_code', value: { intValue: '200' } },
                  { key: 'url.path', value: { stringValue: '/items/42' } },
                ],
                status: {},
              },
              {
                traceId: TRACE_ID,
                spanId: 'c1c2c3c4c5c6c7c8',
                parentSpanId: 'b7ad6b7169203331',
                name: 'GET',
                kind: 3,
                startTimeUnixNano: '1763900000010000000',
                endTimeUnixNano: '1763900000018000000',
                attributes: [{ key: 'server.port', value: { intValue: '3001' } }],
                status: {},
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web' } }] },
        scopeSpans: [
          {
            scope: { name: 'web' },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: '00f067aa0ba902b7',
                parentSpanId: '',
                name: 'click Load item',
                kind: 1,
                startTimeUnixNano: '1763900000000000000',
                endTimeUnixNano: '1763900000025500000',
                attributes: [
                  { key: 'app.scenario', value: { stringValue: 'item' } },
                  { key: 'app.sampled', value: { boolValue: true } },
                ],
                status: { code: 1 },
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'inventory' } }] },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-http' },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: 'd1d2d3d4d5d6d7d8',
                parentSpanId: 'c1c2c3c4c5c6c7c8',
                name: 'GET /stock/:id',
                kind: 2,
                startTimeUnixNano: '1763900000012000000',
                endTimeUnixNano: '1763900000016250000',
                attributes: [{ key: 'app.stock.count', value: { intValue: '7' } }],
                events: [
                  {
                    timeUnixNano: '1763900000013250000',
                    name: 'exception',
                    attributes: [
                      { key: 'exception.type', value: { stringValue: 'Error' } },
                      { key: 'exception.escaped', value: { boolValue: false } },
                    ],
                  },
                ],
                status: { code: 2, message: 'stock lookup failed' },
              },
            ],
          },
        ],
      },
    ],
  },
};

/** The page's spans for an OTLP document, read by trace-assert's reader. */
const viewOf = (json: unknown) => traceView(parseOtlpTrace(json), true).spans;

/** A bare OTLP document around `spans` (each gets the trace id), for one service. */
function doc(spans: Record<string, unknown>[], resourceAttributes: unknown[] = []): unknown {
  return {
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes },
        scopeSpans: [{ spans: spans.map((span) => ({ traceId: TRACE_ID, ...span })) }],
      },
    ],
  };
}

describe('traceView', () => {
  it('flattens a recorded web → api → inventory trace, sorted by start', () => {
    const view = traceView(parseOtlpTrace(recorded), true);
    expect(view.traceId).toBe(TRACE_ID);
    expect(view.complete).toBe(true);
    const spans = view.spans;
    expect(spans.map((s) => [s.service, s.name, s.kind])).toEqual([
      ['web', 'click Load item', 'internal'],
      ['api', 'GET /items/:id', 'server'],
      ['api', 'GET', 'client'],
      ['inventory', 'GET /stock/:id', 'server'],
    ]);
    expect(spans[0]).toEqual({
      spanId: '00f067aa0ba902b7',
      parentSpanId: null,
      service: 'web',
      name: 'click Load item',
      kind: 'internal',
      startUnixMs: 1763900000000,
      durationMs: 25.5,
      status: { code: 'ok' },
      attributes: { 'app.scenario': 'item', 'app.sampled': true },
      events: [],
    });
    expect(spans[1]).toMatchObject({
      parentSpanId: '00f067aa0ba902b7',
      startUnixMs: 1763900000003.2,
      durationMs: 18.7,
      status: { code: 'unset' },
      attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.path': '/items/42' },
    });
    expect(spans[3]).toMatchObject({
      status: { code: 'error', message: 'stock lookup failed' },
      attributes: { 'app.stock.count': 7 },
      events: [
        {
          name: 'exception',
          timeUnixMs: 1763900000013.25,
          attributes: { 'exception.type': 'Error', 'exception.escaped': false },
        },
      ],
    });
  });

  it('says complete as it is told (the poller decides)', () => {
    expect(traceView(parseOtlpTrace(recorded), false).complete).toBe(false);
  });

  it('reads protobuf-JSON encodings: base64 ids, enum names, number times', () => {
    const [span] = viewOf(
      doc([
        {
          spanId: Buffer.from('b7ad6b7169203331', 'hex').toString('base64'),
          parentSpanId: Buffer.from('00f067aa0ba902b7', 'hex').toString('base64'),
          name: 'db',
          kind: 'SPAN_KIND_CLIENT',
          startTimeUnixNano: 1763900000003200000,
          endTimeUnixNano: '1763900000004200000',
          status: { code: 'STATUS_CODE_ERROR' },
        },
      ]),
    );
    expect(span).toMatchObject({
      spanId: 'b7ad6b7169203331',
      parentSpanId: '00f067aa0ba902b7',
      kind: 'client',
      status: { code: 'error' },
    });
  });

  it('treats a missing or empty parent id as a root, and a missing service name as unknown_service', () => {
    const spans = viewOf(
      doc([
        { spanId: '1111111111111111', startTimeUnixNano: '2000000', endTimeUnixNano: '3000000' },
        { spanId: '2222222222222222', parentSpanId: '', startTimeUnixNano: '1', endTimeUnixNano: '1' },
      ]),
    );
    expect(spans.map((s) => [s.spanId, s.parentSpanId, s.service, s.name, s.kind])).toEqual([
      ['2222222222222222', null, 'unknown_service', '', 'internal'],
      ['1111111111111111', null, 'unknown_service', '', 'internal'],
    ]);
    expect(spans[0]!.durationMs).toBe(0);
  });

  it('keeps one copy of a span stored twice', () => {
    const twice = structuredClone(recorded);
    twice.result.resourceSpans.push(structuredClone(recorded.result.resourceSpans[2]!));
    expect(viewOf(twice)).toHaveLength(4);
  });

  it.each([
    [0, 'internal'],
    [1, 'internal'],
    [2, 'server'],
    [3, 'client'],
    [4, 'producer'],
    [5, 'consumer'],
    ['SPAN_KIND_UNSPECIFIED', 'internal'],
    ['SPAN_KIND_PRODUCER', 'producer'],
    ['SPAN_KIND_CONSUMER', 'consumer'],
    [undefined, 'internal'],
  ])('kind %j → %s', (kind, expected) => {
    const [span] = viewOf(
      doc([{ spanId: '1111111111111111', kind, startTimeUnixNano: '1', endTimeUnixNano: '2' }]),
    );
    expect(span!.kind).toBe(expected);
  });

  it.each([
    [0, 'unset'],
    [1, 'ok'],
    [2, 'error'],
    ['STATUS_CODE_UNSET', 'unset'],
    ['STATUS_CODE_OK', 'ok'],
    ['STATUS_CODE_ERROR', 'error'],
    [undefined, 'unset'],
  ])('status %j → %s', (code, expected) => {
    const [span] = viewOf(
      doc([{ spanId: '1111111111111111', status: { code }, startTimeUnixNano: '1', endTimeUnixNano: '2' }]),
    );
    expect(span!.status).toEqual({ code: expected });
  });
});

describe('attribute values as the contract allows them', () => {
  it.each([
    ['string', { stringValue: 'GET' }, 'GET'],
    ['empty string', { stringValue: '' }, ''],
    ['int64 as string', { intValue: '200' }, 200],
    ['negative int64', { intValue: '-5' }, -5],
    ['int as number', { intValue: 3 }, 3],
    ['double', { doubleValue: 1.5 }, 1.5],
    ['double as string', { doubleValue: '2.25' }, 2.25],
    ['NaN double stays text', { doubleValue: 'NaN' }, 'NaN'],
    ['Infinity double stays text', { doubleValue: 'Infinity' }, 'Infinity'],
    ['bool', { boolValue: false }, false],
    ['bytes (base64 text)', { bytesValue: 'AQID' }, 'AQID'],
    ['string array', { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } }, ['a', 'b']],
    ['int64 array', { arrayValue: { values: [{ intValue: '1' }, { intValue: '2' }] } }, [1, 2]],
    ['bool array', { arrayValue: { values: [{ boolValue: true }] } }, [true]],
    ['empty array', { arrayValue: {} }, []],
    [
      'mixed array → strings',
      { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } },
      ['a', '1'],
    ],
    [
      'nested array → JSON text items',
      { arrayValue: { values: [{ arrayValue: { values: [{ intValue: '1' }] } }, { stringValue: 'b' }] } },
      ['[1]', 'b'],
    ],
    ['empty items are dropped', { arrayValue: { values: [{}, { stringValue: 'b' }] } }, ['b']],
    [
      'key/value list → JSON text',
      { kvlistValue: { values: [{ key: 'k', value: { intValue: '1' } }] } },
      '{"k":1}',
    ],
    ['empty AnyValue', {}, undefined],
    ['missing', undefined, undefined],
  ])('%s', (_label, value, expected) => {
    const [span] = viewOf(
      doc([
        {
          spanId: '1111111111111111',
          startTimeUnixNano: '1',
          endTimeUnixNano: '2',
          attributes: [{ key: 'k', ...(value === undefined ? {} : { value }) }],
        },
      ]),
    );
    expect(span!.attributes.k).toEqual(expected);
    expect('k' in span!.attributes).toBe(expected !== undefined);
  });

  it('never turns a non-finite number into null', () => {
    expect(viewAttributeValue(Number.NaN)).toBe('NaN');
    expect(viewAttributeValue([1, Number.NEGATIVE_INFINITY])).toEqual(['1', '-Infinity']);
  });
});

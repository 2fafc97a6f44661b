import { describe, expect, it } from 'vitest';
import { parseOtlpSpans, parseOtlpTrace } from '../src/otlp-json.ts';
import {
  ERR_TRACE_ID,
  OK_TRACE_ID,
  SERVER_SPAN_ID,
  WEB_SPAN_ID,
  loadJson,
  loadTrace,
  rawSpans,
} from './helpers.ts';

/** A minimal valid bare OTLP document around one span, for encoding tests. */
function oneSpan(span: Record<string, unknown>, resourceAttrs: unknown[] = []): unknown {
  return {
    resourceSpans: [
      {
        resource: { attributes: resourceAttrs },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              {
                traceId: OK_TRACE_ID,
                spanId: WEB_SPAN_ID,
                name: 'x',
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000000001500000',
                ...span,
              },
            ],
          },
        ],
      },
    ],
  };
}

function only(doc: unknown) {
  const span = parseOtlpTrace(doc).spans[0];
  if (!span) throw new Error('no span');
  return span;
}

describe('parseOtlpTrace: Jaeger /api/v3 response (hex ids, numeric enums)', () => {
  const trace = loadTrace('items-ok');

  it('reads every span with its service from the resource', () => {
    expect(trace.traceId).toBe(OK_TRACE_ID);
    expect(trace.spans.map((s) => [s.service, s.kind, s.name])).toEqual([
      ['web', 'CLIENT', 'GET'],
      ['api', 'SERVER', 'GET /items/:id'],
      ['api', 'INTERNAL', 'request'],
      ['api', 'INTERNAL', 'handler - fastify -> @fastify/otel'],
    ]);
  });

  it('decodes ids, parent links, times, attributes, scope and resource', () => {
    const server = trace.span(SERVER_SPAN_ID);
    expect(server).toMatchObject({
      traceId: OK_TRACE_ID,
      spanId: SERVER_SPAN_ID,
      parentSpanId: WEB_SPAN_ID,
      scope: '@opentelemetry/instrumentation-http',
      status: { code: 'UNSET' },
      events: [],
    });
    expect(server?.attributes).toMatchObject({
      'http.route': '/items/:id',
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'url.path': '/api/items/42',
      'url.query': 'include=stock',
    });
    expect(server?.resource['process.pid']).toBe(4242);
    expect(server?.startMs).toBeCloseTo(1763900000000 + 3.2, 6);
    expect(server?.durationMs).toBeCloseTo(18.7, 9);
    const web = trace.span(WEB_SPAN_ID);
    expect(web?.parentSpanId).toBeUndefined();
    expect(web?.resource['browser.languages']).toEqual(['en-US', 'en']);
    expect(web?.events.map((e) => e.name)).toEqual(['fetchStart', 'responseEnd']);
    expect(web?.events[0]?.timeMs).toBeCloseTo(1763900000000.3, 6);
  });

  it('reads error status and exception events', () => {
    const err = loadTrace('items-500');
    const handler = err.spans.find((s) => s.name.startsWith('handler'));
    expect(handler?.status).toEqual({ code: 'ERROR', message: 'item store unavailable' });
    expect(handler?.events[0]).toMatchObject({
      name: 'exception',
      attributes: { 'exception.type': 'Error', 'exception.message': 'item store unavailable' },
    });
    expect(err.spans.find((s) => s.kind === 'SERVER')?.status).toEqual({ code: 'ERROR' });
  });
});

describe('parseOtlpTrace: protobuf-JSON encoding (base64 ids, enum names, no result wrapper)', () => {
  it('produces the same spans as the hex/numeric encoding', () => {
    const hex = loadTrace('items-500');
    const b64 = loadTrace('items-500-protojson');
    expect(b64.traceId).toBe(ERR_TRACE_ID);
    expect(b64.spans).toEqual(hex.spans);
  });

  it('accepts base64url ids and unpadded base64', () => {
    const b64url = Buffer.from(OK_TRACE_ID, 'hex').toString('base64url');
    const span = only(
      oneSpan({ traceId: b64url, spanId: Buffer.from(WEB_SPAN_ID, 'hex').toString('base64url') }),
    );
    expect(span.traceId).toBe(OK_TRACE_ID);
    expect(span.spanId).toBe(WEB_SPAN_ID);
  });

  it('lowercases uppercase hex ids', () => {
    expect(only(oneSpan({ traceId: OK_TRACE_ID.toUpperCase() })).traceId).toBe(OK_TRACE_ID);
  });

  it.each([
    [0, 'UNSPECIFIED'],
    [1, 'INTERNAL'],
    [2, 'SERVER'],
    [3, 'CLIENT'],
    [4, 'PRODUCER'],
    [5, 'CONSUMER'],
    ['SPAN_KIND_SERVER', 'SERVER'],
    ['SPAN_KIND_CONSUMER', 'CONSUMER'],
    ['CLIENT', 'CLIENT'],
    ['3', 'CLIENT'],
    [undefined, 'UNSPECIFIED'],
  ])('kind %j is %s', (kind, expected) => {
    expect(only(oneSpan({ kind })).kind).toBe(expected);
  });

  it.each([
    [{ code: 0 }, { code: 'UNSET' }],
    [{ code: 1 }, { code: 'OK' }],
    [
      { code: 2, message: 'boom' },
      { code: 'ERROR', message: 'boom' },
    ],
    [{ code: 'STATUS_CODE_ERROR', message: '' }, { code: 'ERROR' }],
    [{ code: 'STATUS_CODE_OK' }, { code: 'OK' }],
    [{}, { code: 'UNSET' }],
    [undefined, { code: 'UNSET' }],
  ])('status %j is %j', (status, expected) => {
    expect(only(oneSpan({ status })).status).toEqual(expected);
  });

  it('decodes every AnyValue variant', () => {
    const span = only(
      oneSpan({
        attributes: [
          { key: 's', value: { stringValue: 'text' } },
          { key: 'b', value: { boolValue: false } },
          { key: 'i_str', value: { intValue: '-42' } },
          { key: 'i_num', value: { intValue: 7 } },
          { key: 'd', value: { doubleValue: 1.5 } },
          { key: 'd_nan', value: { doubleValue: 'NaN' } },
          { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } } },
          { key: 'arr_empty', value: { arrayValue: {} } },
          { key: 'kv', value: { kvlistValue: { values: [{ key: 'nested', value: { boolValue: true } }] } } },
          { key: 'bytes', value: { bytesValue: 'AQID' } },
          { key: 'empty', value: {} },
        ],
      }),
    );
    expect(span.attributes).toEqual({
      s: 'text',
      b: false,
      i_str: -42,
      i_num: 7,
      d: 1.5,
      d_nan: NaN,
      arr: ['a', 1],
      arr_empty: [],
      kv: { nested: true },
      bytes: 'AQID',
      empty: null,
    });
  });

  it('names the service unknown_service when service.name is missing', () => {
    expect(only(oneSpan({})).service).toBe('unknown_service');
    expect(only(oneSpan({}, [{ key: 'service.name', value: { stringValue: 'api' } }])).service).toBe('api');
  });

  it('reads what OTLP/JSON leaves out as its default: a missing name is ""', () => {
    expect(only(oneSpan({ name: undefined })).name).toBe('');
    const [event] = only(oneSpan({ events: [{ timeUnixNano: '1700000000000500000' }] })).events;
    expect(event).toEqual({ name: '', timeMs: 1700000000000.5, attributes: {} });
  });

  it('accepts times as numbers, and a span that ends when it starts', () => {
    const span = only(
      oneSpan({ startTimeUnixNano: 1700000000000000000, endTimeUnixNano: '1700000000000000000' }),
    );
    expect(span).toMatchObject({ startMs: 1700000000000, durationMs: 0 });
  });

  it('reads an empty trace as no spans (Jaeger may know the id before the spans)', () => {
    expect(parseOtlpSpans({ result: { resourceSpans: [] } })).toEqual([]);
    expect(parseOtlpSpans({ resourceSpans: [] })).toEqual([]);
  });

  it('treats an empty or missing parentSpanId as "no parent"', () => {
    expect(only(oneSpan({ parentSpanId: '' })).parentSpanId).toBeUndefined();
    expect(only(oneSpan({})).parentSpanId).toBeUndefined();
    expect(only(oneSpan({ parentSpanId: SERVER_SPAN_ID })).parentSpanId).toBe(SERVER_SPAN_ID);
  });
});

describe('parseOtlpTrace rejects malformed input, saying where', () => {
  const at = 'resourceSpans[0].scopeSpans[0].spans[0]';
  const cases: [string, unknown, string][] = [
    ['not an object', 'hello', '(root) must be an object, got a string'],
    ['null', null, '(root) must be an object, got null'],
    ['an error body', { error: { httpCode: 500, message: 'boom' } }, 'resourceSpans is missing'],
    ['no resourceSpans', { result: {} }, 'resourceSpans is missing'],
    ['resourceSpans not an array', { resourceSpans: {} }, 'resourceSpans must be an array, got an object'],
    ['result not an object', { result: [] }, 'result must be an object, got an array'],
    ['missing spanId', oneSpan({ spanId: undefined }), `${at}.spanId is missing`],
    ['missing traceId', oneSpan({ traceId: undefined }), `${at}.traceId is missing`],
    ['numeric spanId', oneSpan({ spanId: 42 }), `${at}.spanId must be a string, got a number`],
    [
      'short spanId',
      oneSpan({ spanId: 'abc' }),
      `${at}.spanId must be 16 hex digits or base64 of 8 bytes, got "abc"`,
    ],
    [
      'spanId of trace length',
      oneSpan({ spanId: OK_TRACE_ID }),
      `${at}.spanId must be 16 hex digits or base64`,
    ],
    ['all-zero traceId', oneSpan({ traceId: '0'.repeat(32) }), `${at}.traceId must not be all zeros`],
    ['all-zero spanId', oneSpan({ spanId: '0'.repeat(16) }), `${at}.spanId must not be all zeros`],
    [
      'all-zero parentSpanId',
      oneSpan({ parentSpanId: 'AAAAAAAAAAA=' }),
      `${at}.parentSpanId must not be all zeros`,
    ],
    ['bad parentSpanId', oneSpan({ parentSpanId: 'xyz' }), `${at}.parentSpanId must be 16 hex digits`],
    ['numeric name', oneSpan({ name: 5 }), `${at}.name must be a string, got a number`],
    ['bad kind', oneSpan({ kind: 9 }), `${at}.kind must be 0..5 or one of SPAN_KIND_UNSPECIFIED`],
    ['bad kind name', oneSpan({ kind: 'SPAN_KIND_SERVERISH' }), `${at}.kind must be 0..5`],
    ['bad status', oneSpan({ status: { code: 'BROKEN' } }), `${at}.status.code must be 0..2`],
    ['missing end', oneSpan({ endTimeUnixNano: undefined }), `${at}.endTimeUnixNano is missing`],
    [
      'bad start',
      oneSpan({ startTimeUnixNano: '17e17' }),
      `${at}.startTimeUnixNano must be unsigned nanoseconds`,
    ],
    [
      'end before start',
      oneSpan({ endTimeUnixNano: '1699999999999999999' }),
      `${at}.endTimeUnixNano (1699999999999999999) is before startTimeUnixNano (1700000000000000000)`,
    ],
    [
      'bad attribute',
      oneSpan({ attributes: [{ key: 'k', value: { intValue: 'ten' } }] }),
      `${at}.attributes[0].value.intValue must be an integer, got "ten"`,
    ],
    ['attribute without key', oneSpan({ attributes: [{ value: {} }] }), `${at}.attributes[0].key is missing`],
    [
      'unknown AnyValue',
      oneSpan({ attributes: [{ key: 'k', value: { fooValue: 1 } }] }),
      `${at}.attributes[0].value has no known value field (got keys fooValue)`,
    ],
    [
      'event without time',
      oneSpan({ events: [{ name: 'exception' }] }),
      `${at}.events[0].timeUnixNano is missing`,
    ],
    ['no spans at all', { result: { resourceSpans: [] } }, 'the document contains no spans'],
  ];

  it.each(cases)('%s', (_label, doc, message) => {
    expect(() => parseOtlpTrace(doc)).toThrow(message);
  });

  it('gives the full path of a span deep in the document', () => {
    const doc = loadJson('items-ok');
    const spans = rawSpans(doc);
    // Span order in the fixture: server (rs0/ss0/0), request (rs0/ss1/0), handler (rs0/ss1/1), web (rs1/ss0/0).
    delete (spans[2] as Partial<(typeof spans)[number]>).spanId;
    expect(() => parseOtlpTrace(doc)).toThrow('resourceSpans[0].scopeSpans[1].spans[1].spanId is missing');
  });

  it('rejects spans from more than one trace', () => {
    const doc = loadJson('items-ok');
    const web = rawSpans(doc).find((s) => s.spanId === WEB_SPAN_ID);
    if (web) web.traceId = ERR_TRACE_ID;
    expect(() => parseOtlpTrace(doc)).toThrow(
      `spans belong to more than one trace: ${OK_TRACE_ID} (3 spans), ${ERR_TRACE_ID} (1 span)`,
    );
  });
});

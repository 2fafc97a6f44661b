import { createServer, get as httpGet, type IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { TraceView } from '@tracing-demo/contracts';
import { parseOtlpTrace } from '@tracing-demo/trace-assert/otlp-json';
import { isUntracedApiPath } from '@tracing-demo/stack';
import traceRoutes, { type TraceRoutesOptions } from '../src/routes/traces.ts';
import { traceView } from '../src/trace-view.ts';
import { appWithRoutes, closeAfterTest, closedPortUrl, listen } from './local-servers.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const POLL_MS = 20;

// ---------------------------------------------------------------------------
// Recorded-shape payloads (Jaeger 2.13's OTLP/JSON: hex ids, numeric kinds,
// int64 as strings, one resourceSpans entry per service) of a web → api →
// inventory trace.

interface SpanSpec {
  service: 'web' | 'api' | 'inventory';
  spanId: string;
  parent: string;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
  status?: Record<string, unknown>;
  events?: Record<string, unknown>[];
}

const T0 = 1_763_900_000_000;
const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

const WEB_CLICK: SpanSpec = {
  service: 'web',
  spanId: 'a000000000000001',
  parent: '',
  name: 'click Load item',
  kind: 1,
  startMs: 0,
  endMs: 40,
  attributes: [{ key: 'app.scenario', value: { stringValue: 'item' } }],
};
const WEB_FETCH: SpanSpec = {
  service: 'web',
  spanId: 'a000000000000002',
  parent: 'a000000000000001',
  name: 'HTTP GET',
  kind: 3,
  startMs: 1.5,
  endMs: 38,
  attributes: [{ key: 'http.response.status_code', value: { intValue: '200' } }],
};
const API_SERVER: SpanSpec = {
  service: 'api',
  spanId: 'b000000000000001',
  parent: 'a000000000000002',
  name: 'GET /items/:id',
  kind: 2,
  startMs: 3,
  endMs: 35,
  attributes: [
    { key: 'http.route', value: { stringValue: '/items/:id' } },
    { key: 'app.item.id', value: { intValue: '5' } },
  ],
};
const API_CLIENT: SpanSpec = {
  service: 'api',
  spanId: 'b000000000000002',
  parent: 'b000000000000001',
  name: 'GET',
  kind: 3,
  startMs: 5,
  endMs: 30,
  attributes: [{ key: 'server.port', value: { intValue: '3001' } }],
};
const INVENTORY_SERVER: SpanSpec = {
  service: 'inventory',
  spanId: 'c000000000000001',
  parent: 'b000000000000002',
  name: 'GET /stock/:id',
  kind: 2,
  startMs: 7,
  endMs: 28,
  attributes: [
    {
      key: 'app.warehouses',
      value: { arrayValue: { values: [{ stringValue: 'north' }, { stringValue: 'south' }] } },
    },
    { key: 'app.stock.ratio', value: { doubleValue: 0.25 } },
  ],
  status: { code: 2, message: 'low stock' },
  events: [
    {
      timeUnixNano: nanos(T0 + 9),
      name: 'stock.checked',
      attributes: [{ key: 'app.stock.count', value: { intValue: '3' } }],
    },
  ],
};
const FULL = [WEB_CLICK, WEB_FETCH, API_SERVER, API_CLIENT, INVENTORY_SERVER];

/** Jaeger's answer for these spans, grouped by service the way Jaeger groups them. */
function jaegerBody(specs: readonly SpanSpec[], traceId = TRACE_ID): unknown {
  const services = [...new Set(specs.map((s) => s.service))];
  return {
    result: {
      resourceSpans: services.map((service) => ({
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: service } },
            { key: 'telemetry.sdk.language', value: { stringValue: service === 'web' ? 'webjs' : 'nodejs' } },
          ],
        },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-http', version: '0.222.0' },
            spans: specs
              .filter((s) => s.service === service)
              .map((s) => ({
                traceId,
                spanId: s.spanId,
                parentSpanId: s.parent,
                flags: 257,
                name: s.name,
                kind: s.kind,
                startTimeUnixNano: nanos(T0 + s.startMs),
                endTimeUnixNano: nanos(T0 + s.endMs),
                attributes: s.attributes ?? [],
                ...(s.events ? { events: s.events } : {}),
                status: s.status ?? {},
              })),
          },
        ],
      })),
    },
  };
}

const NOT_FOUND = { status: 404, body: { error: { httpCode: 404, message: 'trace not found' } } };

// ---------------------------------------------------------------------------
// A fake Jaeger: a real HTTP server answering `GET /api/v3/traces/{id}` from a
// script indexed by the request number (the last entry repeats).

type Answer = { status: number; body: unknown } | { status: number; raw: string } | 'hang';

interface FakeJaeger {
  url: string;
  requests: IncomingMessage[];
}

async function fakeJaeger(script: readonly Answer[]): Promise<FakeJaeger> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    if (req.url !== `/api/v3/traces/${TRACE_ID}`) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"httpCode":404}}');
      return;
    }
    const answer = script[Math.min(requests.length, script.length) - 1]!;
    if (answer === 'hang') return;
    const text = 'raw' in answer ? answer.raw : JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  });
  return { url: await listen(server), requests };
}

/** The API with just what this route needs (the lead registers the same in app.ts). */
async function apiWith(jaegerUrl: string, options: Partial<TraceRoutesOptions> = {}) {
  return appWithRoutes(traceRoutes, { jaegerUrl, pollIntervalMs: POLL_MS, ...options });
}

async function getTrace(
  jaegerUrl: string,
  query = 'wait_ms=1000',
  options: Partial<TraceRoutesOptions> = {},
) {
  const app = await apiWith(jaegerUrl, options);
  const started = performance.now();
  const response = await app.inject({ method: 'GET', url: `/traces/${TRACE_ID}?${query}` });
  return { response, elapsed: performance.now() - started };
}

// ---------------------------------------------------------------------------

describe('GET /traces/:traceId', () => {
  it('answers a complete web → api → inventory trace after two polls with the same span count', async () => {
    const jaeger = await fakeJaeger([{ status: 200, body: jaegerBody(FULL) }]);
    const { response } = await getTrace(jaeger.url);
    expect(response.statusCode).toBe(200);
    const view = response.json<TraceView>();
    expect(view).toEqual(traceView(parseOtlpTrace(jaegerBody(FULL)), true));
    expect(jaeger.requests).toHaveLength(2);
    expect(jaeger.requests[0]!.headers.accept).toBe('application/json');
  });

  it('loses nothing in serialization: services, kinds, statuses, attributes, events', async () => {
    const jaeger = await fakeJaeger([{ status: 200, body: jaegerBody(FULL) }]);
    const view = (await getTrace(jaeger.url)).response.json<TraceView>();
    expect(view.spans.map((s) => [s.service, s.name, s.kind, s.parentSpanId])).toEqual([
      ['web', 'click Load item', 'internal', null],
      ['web', 'HTTP GET', 'client', 'a000000000000001'],
      ['api', 'GET /items/:id', 'server', 'a000000000000002'],
      ['api', 'GET', 'client', 'b000000000000001'],
      ['inventory', 'GET /stock/:id', 'server', 'b000000000000002'],
    ]);
    expect(view.spans[0]).toMatchObject({ startUnixMs: T0, durationMs: 40, status: { code: 'unset' } });
    expect(view.spans[4]).toEqual({
      spanId: 'c000000000000001',
      parentSpanId: 'b000000000000002',
      service: 'inventory',
      name: 'GET /stock/:id',
      kind: 'server',
      startUnixMs: T0 + 7,
      durationMs: 21,
      status: { code: 'error', message: 'low stock' },
      attributes: { 'app.warehouses': ['north', 'south'], 'app.stock.ratio': 0.25 },
      events: [{ name: 'stock.checked', timeUnixMs: T0 + 9, attributes: { 'app.stock.count': 3 } }],
    });
  });

  it('keeps polling while spans arrive: 404, then no root, then a growing connected trace', async () => {
    const jaeger = await fakeJaeger([
      NOT_FOUND,
      // The api exported first: its parent (the web's fetch span) is missing.
      { status: 200, body: jaegerBody([API_SERVER, API_CLIENT]) },
      // Connected, but the inventory's span is still on its way.
      { status: 200, body: jaegerBody([WEB_CLICK, WEB_FETCH, API_SERVER, API_CLIENT]) },
      { status: 200, body: jaegerBody(FULL) },
    ]);
    const { response } = await getTrace(jaeger.url, 'wait_ms=2000');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ traceId: TRACE_ID, complete: true });
    expect(response.json<TraceView>().spans).toHaveLength(5);
    // 404, missing root, 4 spans, 5 spans, 5 spans again = complete.
    expect(jaeger.requests).toHaveLength(5);
  });

  it('answers complete:false with the spans found when a parent never arrives', async () => {
    const jaeger = await fakeJaeger([{ status: 200, body: jaegerBody([WEB_CLICK, API_SERVER, API_CLIENT]) }]);
    const { response, elapsed } = await getTrace(jaeger.url, 'wait_ms=300');
    expect(response.statusCode).toBe(200);
    const view = response.json<TraceView>();
    expect(view.complete).toBe(false);
    expect(view.spans.map((s) => s.spanId)).toEqual([WEB_CLICK.spanId, API_SERVER.spanId, API_CLIENT.spanId]);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
    expect(jaeger.requests.length).toBeGreaterThan(3);
  });

  it('with parent_span_id, calls complete a trace below that span although Jaeger lacks it (a test drove the page)', async () => {
    const TEST_SPAN_ID = 'e2e0000000000001';
    const [click, ...rest] = FULL;
    const belowTest = [{ ...click!, parent: TEST_SPAN_ID }, ...rest];
    const jaeger = await fakeJaeger([{ status: 200, body: jaegerBody(belowTest) }]);
    const below = await getTrace(jaeger.url, `wait_ms=2000&parent_span_id=${TEST_SPAN_ID}`);
    expect(below.response.json()).toMatchObject({ complete: true });
    // Without it, the missing parent keeps the trace incomplete until the wait ends.
    const without = await getTrace(jaeger.url, 'wait_ms=200');
    expect(without.response.json()).toMatchObject({ complete: false });
    // Below another span, it is not complete either.
    const other = await getTrace(jaeger.url, 'wait_ms=200&parent_span_id=e2e0000000000002');
    expect(other.response.json()).toMatchObject({ complete: false });
  });

  describe('a trace read between two exports (the page names the spans it knows)', () => {
    // What the page knows of its action: the user action span, the fetch span
    // it sent in traceparent, the SERVER span the API named in Server-Timing.
    const KNOWN = [WEB_CLICK.spanId, WEB_FETCH.spanId, API_SERVER.spanId].join(',');
    // The user action span is exported first, alone; the fetch span (it ends
    // later) and the services' spans come a few polls after.
    const actionFirst = (action: SpanSpec, rest: readonly SpanSpec[]): Answer[] => [
      { status: 200, body: jaegerBody([action]) },
      { status: 200, body: jaegerBody([action]) },
      { status: 200, body: jaegerBody([action]) },
      { status: 200, body: jaegerBody([action, ...rest]) },
    ];

    it('without a meta: the user action alone is not complete while the fetch and API spans are missing', async () => {
      const jaeger = await fakeJaeger(actionFirst(WEB_CLICK, FULL.slice(1)));
      const { response } = await getTrace(jaeger.url, `wait_ms=2000&span_ids=${KNOWN}`);
      expect(response.json()).toMatchObject({ complete: true });
      expect(response.json<TraceView>().spans.map((s) => s.spanId)).toEqual(FULL.map((s) => s.spanId));
    });

    it('below a test span (a meta): the user action alone is not complete either', async () => {
      const TEST_SPAN_ID = 'e2e0000000000001';
      const click = { ...WEB_CLICK, parent: TEST_SPAN_ID };
      const jaeger = await fakeJaeger(actionFirst(click, FULL.slice(1)));
      const query = `wait_ms=2000&parent_span_id=${TEST_SPAN_ID}&span_ids=${KNOWN}`;
      const { response } = await getTrace(jaeger.url, query);
      expect(response.json()).toMatchObject({ complete: true });
      expect(response.json<TraceView>().spans).toHaveLength(FULL.length);
    });

    it('without span_ids the first answer, one span, counts as complete (why the page sends them)', async () => {
      const jaeger = await fakeJaeger(actionFirst(WEB_CLICK, FULL.slice(1)));
      const { response } = await getTrace(jaeger.url, 'wait_ms=2000');
      expect(response.json()).toMatchObject({ complete: true });
      expect(response.json<TraceView>().spans).toHaveLength(1);
    });

    it('a known span that never arrives leaves the trace incomplete when the wait ends', async () => {
      const jaeger = await fakeJaeger([{ status: 200, body: jaegerBody([WEB_CLICK, WEB_FETCH]) }]);
      const { response } = await getTrace(jaeger.url, `wait_ms=300&span_ids=${KNOWN}`);
      expect(response.json()).toMatchObject({ complete: false });
      expect(response.json<TraceView>().spans).toHaveLength(2);
    });

    it("with a meta, answers the action's branch only: not the test's page load nor its other actions", async () => {
      const TEST_SPAN_ID = 'e2e0000000000001';
      const click = { ...WEB_CLICK, parent: TEST_SPAN_ID };
      const documentLoad: SpanSpec = { ...WEB_CLICK, spanId: 'd000000000000001', name: 'documentLoad' };
      const earlier: SpanSpec = { ...WEB_CLICK, spanId: 'd000000000000002', name: 'user_action earlier' };
      const others = [documentLoad, earlier].map((s) => ({ ...s, parent: TEST_SPAN_ID }));
      const jaeger = await fakeJaeger([
        { status: 200, body: jaegerBody([...others, click, ...FULL.slice(1)]) },
      ]);
      const query = `wait_ms=2000&parent_span_id=${TEST_SPAN_ID}&span_ids=${KNOWN}`;
      const view = (await getTrace(jaeger.url, query)).response.json<TraceView>();
      expect(view.complete).toBe(true);
      expect(view.spans.map((s) => s.spanId)).toEqual(FULL.map((s) => s.spanId));
      // The action's span is the root of what is drawn.
      expect(view.spans[0]).toMatchObject({ spanId: WEB_CLICK.spanId, parentSpanId: null });
    });
  });

  it('answers complete:false for a trace with two roots', async () => {
    const jaeger = await fakeJaeger([
      { status: 200, body: jaegerBody([WEB_CLICK, { ...API_SERVER, parent: '' }]) },
    ]);
    const { response } = await getTrace(jaeger.url, 'wait_ms=100');
    expect(response.json()).toMatchObject({ complete: false });
  });

  it('with wait_ms=0 looks once and cannot call the trace complete', async () => {
    const jaeger = await fakeJaeger([{ status: 200, body: jaegerBody(FULL) }]);
    const { response } = await getTrace(jaeger.url, 'wait_ms=0');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ complete: false });
    expect(response.json<TraceView>().spans).toHaveLength(5);
    expect(jaeger.requests).toHaveLength(1);
  });

  it('answers 404 when Jaeger never has the trace', async () => {
    const jaeger = await fakeJaeger([NOT_FOUND]);
    const { response, elapsed } = await getTrace(jaeger.url, 'wait_ms=200');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `trace ${TRACE_ID} not found in Jaeger`,
    });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(jaeger.requests.length).toBeGreaterThan(2);
  });

  it('treats a 200 with no spans like a 404', async () => {
    const jaeger = await fakeJaeger([{ status: 200, body: { result: { resourceSpans: [] } } }]);
    const { response } = await getTrace(jaeger.url, 'wait_ms=50');
    expect(response.statusCode).toBe(404);
  });

  it('answers 503 at once when nothing listens at the Jaeger URL', async () => {
    const url = await closedPortUrl();
    const { response, elapsed } = await getTrace(url, 'wait_ms=5000');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: `Jaeger is not reachable at ${url}`,
    });
    expect(elapsed).toBeLessThan(1000);
  });

  it.each<[string, Answer]>([
    ['a 500', { status: 500, body: { error: { httpCode: 500, message: 'storage down' } } }],
    ['a 502 from a proxy', { status: 502, raw: 'Bad Gateway' }],
  ])('answers 503 at once on %s', async (_label, answer) => {
    const jaeger = await fakeJaeger([answer]);
    const { response, elapsed } = await getTrace(jaeger.url, 'wait_ms=5000');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ message: `Jaeger is not reachable at ${jaeger.url}` });
    expect(elapsed).toBeLessThan(1000);
    expect(jaeger.requests).toHaveLength(1);
  });

  it('answers 503 at once when Jaeger does not answer a request in time', async () => {
    const jaeger = await fakeJaeger(['hang']);
    const { response, elapsed } = await getTrace(jaeger.url, 'wait_ms=5000', { requestTimeoutMs: 100 });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ message: `Jaeger is not reachable at ${jaeger.url}` });
    expect(elapsed).toBeLessThan(1000);
  });

  it.each<[string, Answer, string]>([
    ['a body that is not JSON', { status: 200, raw: '<html>garbage' }, 'it is not JSON'],
    [
      'JSON that is not an OTLP trace',
      { status: 200, body: { data: [] } },
      'Malformed OTLP trace: resourceSpans is missing',
    ],
    [
      'a span that ends before it starts',
      { status: 200, body: jaegerBody([WEB_CLICK, { ...WEB_FETCH, startMs: 38, endMs: 1.5 }]) },
      'Malformed OTLP trace: resourceSpans[0].scopeSpans[0].spans[1].endTimeUnixNano',
    ],
    [
      'an all-zero span id',
      { status: 200, body: jaegerBody([WEB_CLICK, { ...WEB_FETCH, spanId: '0000000000000000' }]) },
      'Malformed OTLP trace: resourceSpans[0].scopeSpans[0].spans[1].spanId must not be all zeros',
    ],
    [
      'another trace',
      { status: 200, body: jaegerBody(FULL, 'a'.repeat(32)) },
      `it is trace ${'a'.repeat(32)}`,
    ],
  ])('answers 502 at once, naming the problem, on %s', async (_label, answer, problem) => {
    const jaeger = await fakeJaeger([answer]);
    const { response, elapsed } = await getTrace(jaeger.url, 'wait_ms=5000');
    expect(response.statusCode).toBe(502);
    expect(response.json()).toMatchObject({ statusCode: 502, error: 'Bad Gateway' });
    expect(response.json<{ message: string }>().message).toContain(
      `Jaeger's answer for trace ${TRACE_ID} is not a trace the API can read: ${problem}`,
    );
    expect(elapsed).toBeLessThan(1000);
    expect(jaeger.requests).toHaveLength(1);
  });

  it('answers the spans it has (incomplete) when Jaeger fails after they were seen', async () => {
    const jaeger = await fakeJaeger([
      { status: 200, body: jaegerBody([WEB_CLICK, WEB_FETCH]) },
      { status: 500, raw: 'oops' },
    ]);
    const { response } = await getTrace(jaeger.url, 'wait_ms=5000');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ complete: false });
    expect(response.json<TraceView>().spans).toHaveLength(2);
  });

  it('trims a trailing slash off the Jaeger URL', async () => {
    const jaeger = await fakeJaeger([{ status: 200, body: jaegerBody(FULL) }]);
    const { response } = await getTrace(`${jaeger.url}/`);
    expect(response.statusCode).toBe(200);
    expect(jaeger.requests[0]!.url).toBe(`/api/v3/traces/${TRACE_ID}`);
  });

  it('defaults wait_ms to 5000 when the query string has none', async () => {
    const jaeger = await fakeJaeger([NOT_FOUND, { status: 200, body: jaegerBody(FULL) }]);
    const { response } = await getTrace(jaeger.url, '');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ complete: true });
  });

  it.each([
    'ABCDEF0123456789ABCDEF0123456789',
    'abc',
    `${TRACE_ID}0`,
    'g'.repeat(32),
    '%20'.repeat(32),
    '0'.repeat(32),
  ])('rejects the trace id %j with a 400 naming params/traceId', async (id) => {
    const app = await apiWith('http://127.0.0.1:1');
    const response = await app.inject({ method: 'GET', url: `/traces/${id}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      statusCode: 400,
      code: 'FST_ERR_VALIDATION',
      error: 'Bad Request',
      message: 'params/traceId must be 32 lowercase hex digits, not all zero',
    });
  });

  it.each(['-1', '15001', 'abc', '1.5'])(
    'rejects wait_ms=%s with a 400 naming querystring/wait_ms',
    async (value) => {
      const app = await apiWith('http://127.0.0.1:1');
      const response = await app.inject({ method: 'GET', url: `/traces/${TRACE_ID}?wait_ms=${value}` });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(response.json<{ message: string }>().message).toMatch(/^querystring\/wait_ms /);
    },
  );

  it.each(['E2E0000000000001', 'e2e000000000001', 'xyz', ''])(
    'rejects parent_span_id=%j with a 400 naming querystring/parent_span_id',
    async (value) => {
      const app = await apiWith('http://127.0.0.1:1');
      const response = await app.inject({
        method: 'GET',
        url: `/traces/${TRACE_ID}?parent_span_id=${value}`,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<{ message: string }>().message).toMatch(/^querystring\/parent_span_id /);
    },
  );

  it.each([
    'A000000000000001',
    'a00000000000001',
    'a000000000000001,',
    'a000000000000001;a000000000000002',
    '',
    Array.from({ length: 33 }, (_, i) => i.toString(16).padStart(16, '0')).join(','),
  ])('rejects span_ids=%j with a 400 naming querystring/span_ids', async (value) => {
    const app = await apiWith('http://127.0.0.1:1');
    const response = await app.inject({ method: 'GET', url: `/traces/${TRACE_ID}?span_ids=${value}` });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toBe(
      'querystring/span_ids must be 1 to 32 span ids (16 lowercase hex digits each), separated by commas',
    );
  });

  it('serves only untraced paths (UNTRACED_API_PATHS, routes with `otel: false`)', async () => {
    const app = closeAfterTest(Fastify());
    const paths: string[] = [];
    app.addHook('onRoute', (route) => {
      if (route.method === 'GET') paths.push(route.url);
    });
    await app.register(traceRoutes, { jaegerUrl: 'http://127.0.0.1:1' });
    await app.ready();
    expect(paths).toEqual(['/traces', '/traces/:traceId']);
    expect(isUntracedApiPath(`/traces/${TRACE_ID}`)).toBe(true);
    expect(isUntracedApiPath('/traces?service=web')).toBe(true);
  });

  it('stops polling Jaeger when the client goes away', async () => {
    const jaeger = await fakeJaeger([NOT_FOUND]);
    const app = await apiWith(jaeger.url);
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    // node:http rather than fetch: undici may open a spare connection that
    // would hold app.close() until its keep-alive timeout.
    const request = httpGet(`${address}/traces/${TRACE_ID}?wait_ms=5000`);
    const closed = new Promise((resolve) => request.on('close', resolve));
    request.on('error', () => undefined);
    await delay(150);
    request.destroy();
    await closed;
    await delay(3 * POLL_MS);
    const count = jaeger.requests.length;
    expect(count).toBeGreaterThan(1);
    await delay(10 * POLL_MS);
    expect(jaeger.requests.length).toBe(count);
  });
});

describe('the Jaeger requests', () => {
  it('go through the fetch the route is given', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify(jaegerBody(FULL)), { status: 200 });
    };
    const { response } = await getTrace('http://jaeger.invalid:16686', 'wait_ms=1000', { fetch: fakeFetch });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ complete: true });
    expect(calls).toEqual([
      `http://jaeger.invalid:16686/api/v3/traces/${TRACE_ID}`,
      `http://jaeger.invalid:16686/api/v3/traces/${TRACE_ID}`,
    ]);
  });
});

/**
 * `GET /traces` (the page's trace list) against a stand-in for Jaeger's query
 * API: a real HTTP server answering `/api/v3/services` and the search
 * `/api/v3/traces?query.…` in the shapes Jaeger 2.13 answers (checked against
 * the Go-built binary; the e2e spec trace-list.spec.ts runs the real one).
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checked, ErrorSchema, TraceListSchema, type TraceList } from '@tracing-demo/contracts';
import traceRoutes, { type TraceRoutesOptions } from '../src/routes/traces.ts';
import { appWithRoutes, closedPortUrl, listen } from './local-servers.ts';

const A = '0af7651916cd43dd8448eb211c80319c';
const B = '4bf92f3577b34da6a3ce929d0e0e4736';
const T0 = 1_763_900_000_000;
const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

interface SpanSpec {
  traceId: string;
  service: string;
  spanId: string;
  parent?: string;
  name: string;
  startMs: number;
  endMs: number;
  error?: boolean;
}

/** Jaeger's search answer: OTLP/JSON in `result`, one resourceSpans entry per service and trace. */
function searchBody(specs: readonly SpanSpec[]): unknown {
  const groups = new Map<string, SpanSpec[]>();
  for (const spec of specs) {
    const key = `${spec.traceId}/${spec.service}`;
    groups.set(key, [...(groups.get(key) ?? []), spec]);
  }
  return {
    result: {
      resourceSpans: [...groups.values()].map((group) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: group[0]!.service } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: group.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parent === undefined ? {} : { parentSpanId: s.parent }),
              name: s.name,
              kind: 1,
              startTimeUnixNano: nanos(T0 + s.startMs),
              endTimeUnixNano: nanos(T0 + s.endMs),
              status: s.error ? { code: 2 } : {},
            })),
          },
        ],
      })),
    },
  };
}

/** Two traces: a click (web → api, an error on the API's span) and, later, a test span of service e2e. */
const SPANS: SpanSpec[] = [
  {
    traceId: A,
    service: 'web',
    spanId: 'a000000000000001',
    name: 'user_action GET /',
    startMs: 0,
    endMs: 30,
  },
  {
    traceId: A,
    service: 'api',
    spanId: 'b000000000000001',
    parent: 'a000000000000001',
    name: 'GET /',
    startMs: 5,
    endMs: 25,
    error: true,
  },
  {
    traceId: B,
    service: 'e2e',
    spanId: 'e000000000000001',
    name: 'opens the list',
    startMs: 1000,
    endMs: 1400,
  },
];

type Answer = { status: number; body: unknown } | { status: number; raw: string } | 'hang';

/** Jaeger's query API: `services` and `search` answer their paths; `searches` records each search's query. */
async function fakeJaeger({
  services = { status: 200, body: { services: ['web', 'e2e', 'api'] } },
  search = { status: 200, body: searchBody(SPANS) },
}: { services?: Answer; search?: Answer } = {}) {
  const searches: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://jaeger');
    const answer =
      url.pathname === '/api/v3/services' ? services : url.pathname === '/api/v3/traces' ? search : undefined;
    if (url.pathname === '/api/v3/traces') searches.push(url.searchParams);
    if (answer === 'hang') return;
    if (answer === undefined) {
      res.writeHead(404).end();
      return;
    }
    const text = 'raw' in answer ? answer.raw : JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  });
  return { url: await listen(server), searches };
}

async function list(jaegerUrl: string, query = '', options: Partial<TraceRoutesOptions> = {}) {
  const app = await appWithRoutes(traceRoutes, { jaegerUrl, ...options });
  const started = performance.now();
  const response = await app.inject({ method: 'GET', url: `/traces${query}` });
  return { response, elapsed: performance.now() - started };
}

describe('GET /traces', () => {
  it('answers the newest traces, one summary each, and every service Jaeger knows (the contract)', async () => {
    const jaeger = await fakeJaeger();
    const { response } = await list(jaeger.url);
    expect(response.statusCode).toBe(200);
    const body = checked(TraceListSchema, response.json(), 'The list');
    expect(body).toEqual({
      services: ['api', 'e2e', 'web'],
      traces: [
        {
          traceId: B,
          service: 'e2e',
          rootName: 'opens the list',
          startUnixMs: T0 + 1000,
          durationMs: 400,
          spanCount: 1,
          errorCount: 0,
          services: ['e2e'],
          connected: true,
        },
        {
          traceId: A,
          service: 'web',
          rootName: 'user_action GET /',
          startUnixMs: T0,
          durationMs: 30,
          spanCount: 2,
          errorCount: 1,
          services: ['web', 'api'],
          connected: true,
        },
      ],
    } satisfies TraceList);
  });

  it("asks Jaeger's search for every service in the last hour, 20 traces, by default", async () => {
    const jaeger = await fakeJaeger();
    const before = Date.now();
    await list(jaeger.url);
    const [search] = jaeger.searches;
    expect(search?.get('query.service_name')).toBe('');
    expect(search?.get('query.num_traces')).toBe('20');
    const min = Date.parse(search!.get('query.start_time_min')!);
    const max = Date.parse(search!.get('query.start_time_max')!);
    expect(max).toBeGreaterThanOrEqual(before);
    expect(max - min).toBe(60 * 60_000);
  });

  it('passes the service, the limit and the window on, and keeps at most `limit` traces', async () => {
    const jaeger = await fakeJaeger();
    const { response } = await list(jaeger.url, '?service=e2e&limit=1&lookback_minutes=5');
    const search = jaeger.searches[0]!;
    expect(search.get('query.service_name')).toBe('e2e');
    expect(search.get('query.num_traces')).toBe('1');
    expect(
      Date.parse(search.get('query.start_time_max')!) - Date.parse(search.get('query.start_time_min')!),
    ).toBe(5 * 60_000);
    expect(response.json<TraceList>().traces.map((t) => t.traceId)).toEqual([B]);
  });

  it('answers an empty list when Jaeger finds nothing (its 404), and no services when it knows none', async () => {
    const jaeger = await fakeJaeger({
      services: { status: 200, body: {} },
      search: { status: 404, body: { error: { httpCode: 404, message: 'No traces found' } } },
    });
    const { response } = await list(jaeger.url, '?service=nobody');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ services: [], traces: [] });
  });

  it.each([
    ['?limit=0', 'querystring/limit must be >= 1'],
    ['?limit=101', 'querystring/limit must be <= 100'],
    ['?limit=ten', 'querystring/limit must be integer'],
    ['?limit=2.5', 'querystring/limit must be integer'],
    ['?lookback_minutes=0', 'querystring/lookback_minutes must be >= 1'],
    ['?lookback_minutes=10081', 'querystring/lookback_minutes must be <= 10080'],
    ['?service=', 'querystring/service must NOT have fewer than 1 characters'],
    [`?service=${'s'.repeat(129)}`, 'querystring/service must NOT have more than 128 characters'],
    ['?service=web&service=api', 'querystring/service must be string'],
  ])('answers 400 naming the parameter for %s, without asking Jaeger', async (query, message) => {
    const jaeger = await fakeJaeger();
    const { response } = await list(jaeger.url, query);
    expect(response.statusCode).toBe(400);
    const body = checked(ErrorSchema, response.json(), 'The error');
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', message });
    expect(jaeger.searches).toEqual([]);
  });

  it('answers 503 at once when nothing listens at the Jaeger URL', async () => {
    const down = await closedPortUrl();
    const { response } = await list(down);
    expect(response.statusCode).toBe(503);
    expect(checked(ErrorSchema, response.json(), 'The error')).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: `Jaeger is not reachable at ${down}`,
    });
  });

  it('answers 503 when Jaeger does not answer in time, or answers 500', async () => {
    const hanging = await fakeJaeger({ search: 'hang' });
    const { response, elapsed } = await list(hanging.url, '', { requestTimeoutMs: 200 });
    expect(response.statusCode).toBe(503);
    expect(elapsed).toBeLessThan(1500);
    const failing = await fakeJaeger({ services: { status: 500, raw: 'internal error' } });
    expect((await list(failing.url)).response.statusCode).toBe(503);
  });

  it('answers 502 naming the problem when Jaeger answers something it cannot read', async () => {
    const notJson = await fakeJaeger({ search: { status: 200, raw: '<html>proxy error</html>' } });
    expect((await list(notJson.url)).response.json()).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message: "Jaeger's answer is not a list the API can read: it is not JSON",
    });
    const brokenSpan = searchBody([{ ...SPANS[0]!, startMs: 10, endMs: 5 }]);
    const broken = await fakeJaeger({ search: { status: 200, body: brokenSpan } });
    const { response } = await list(broken.url);
    expect(response.statusCode).toBe(502);
    expect(response.json<{ message: string }>().message).toMatch(
      /endTimeUnixNano .* is before startTimeUnixNano/,
    );
    const badServices = await fakeJaeger({ services: { status: 200, body: { services: 'web' } } });
    expect((await list(badServices.url)).response.json()).toMatchObject({
      statusCode: 502,
      message: "Jaeger's answer is not a list the API can read: it is not a list of services",
    });
  });

  it('goes through the fetch it is given, for both requests', async () => {
    const asked: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      const url = String(input);
      asked.push(new URL(url).pathname);
      return new Response(
        JSON.stringify(url.includes('/services') ? { services: ['api'] } : searchBody(SPANS)),
      );
    };
    const { response } = await list('http://jaeger.invalid:16686/', '', { fetch: fakeFetch });
    expect(response.statusCode).toBe(200);
    expect(asked.sort()).toEqual(['/api/v3/services', '/api/v3/traces']);
  });
});

/**
 * server-spans.ts on a real Fastify over real HTTP, its spans recorded in
 * memory: one SERVER span per request, parented on the incoming traceparent,
 * named after the route, with the stable HTTP attributes; none for ignored
 * requests; ERROR for a 5xx without losing the handler's message.
 *
 * It installs the global tracer provider: this file is a process of its own
 * (vitest runs each test file in its own worker).
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-node';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  hostAttributes,
  nameServerSpansByRoute,
  requestAttributes,
  traceIncomingRequests,
} from '../src/server-spans.ts';
import { ignoreIncomingRequest, untracedPathFilter } from '../src/untraced-requests.ts';
import type { IncomingMessage } from 'node:http';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let app: FastifyInstance;
let base: string;
let undo: (() => void)[] = [];

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

beforeAll(async () => {
  provider.register();
  undo = [
    traceIncomingRequests({
      tracer: trace.getTracer('server-spans-test'),
      isIgnored: ignoreIncomingRequest(untracedPathFilter()),
    }),
    nameServerSpansByRoute(),
  ];
  const { default: Fastify } = await import('fastify');
  app = Fastify();
  app.get<{ Params: { id: string } }>(
    '/items/:id',
    { schema: { params: { type: 'object', properties: { id: { type: 'integer' } } } } },
    async (request) => {
      trace.getActiveSpan()?.setAttribute('app.item.id', Number(request.params.id));
      trace.getTracer('server-spans-test').startSpan('inside-items').end();
      return { ok: true };
    },
  );
  app.get('/failing', async (_request, reply) => {
    trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: 'the handler says why' });
    return reply.code(502).send({ ok: false });
  });
  app.get('/healthz', async () => {
    trace.getTracer('server-spans-test').startSpan('inside-healthz').end();
    return { status: 'ok' };
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  for (const fn of undo) fn();
  await provider.shutdown();
});

beforeEach(() => exporter.reset());

/** The spans ended so far, once the response's 'close' has ended the SERVER span. */
async function spansAfter(response: Response): Promise<ReadableSpan[]> {
  await response.arrayBuffer();
  await expect.poll(() => exporter.getFinishedSpans().some((s) => s.kind === SpanKind.SERVER)).toBe(true);
  return exporter.getFinishedSpans();
}

describe('traceIncomingRequests + nameServerSpansByRoute', () => {
  it('makes one SERVER span per request, child of the traceparent, named after the route', async () => {
    const response = await fetch(`${base}/items/5?q=x`, {
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
    });
    expect(response.status).toBe(200);
    const spans = await spansAfter(response);
    const servers = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(servers).toHaveLength(1);
    const server = servers[0]!;
    expect(server.name).toBe('GET /items/:id');
    expect(server.spanContext().traceId).toBe(TRACE_ID);
    expect(server.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/items/:id',
      'url.path': '/items/5',
      'url.query': 'q=x',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(base).port),
      'http.response.status_code': 200,
      'app.item.id': 5,
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    // The handler's own span is its child: the SERVER span was active.
    const inside = spans.find((s) => s.name === 'inside-items');
    expect(inside?.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  });

  it('names a refused request after its route too (a 400), and an unmatched one only by its method', async () => {
    const refused = await spansAfter(await fetch(`${base}/items/abc`));
    expect(refused.map((s) => [s.name, s.attributes['http.response.status_code']])).toEqual([
      ['GET /items/:id', 400],
    ]);
    exporter.reset();
    const unmatched = await spansAfter(await fetch(`${base}/nowhere`));
    expect(unmatched).toHaveLength(1);
    expect(unmatched[0]!.name).toBe('GET');
    expect(unmatched[0]!.attributes['http.route']).toBeUndefined();
    expect(unmatched[0]!.attributes['http.response.status_code']).toBe(404);
    // A client's mistake is not this server's error.
    expect(unmatched[0]!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks a 5xx as ERROR and keeps the message the handler gave', async () => {
    const [server] = await spansAfter(await fetch(`${base}/failing`));
    expect(server!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the handler says why' });
    expect(server!.attributes['http.response.status_code']).toBe(502);
  });

  it('makes no span for ignored requests, nor for what their handler starts', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/items/1`, { method: 'OPTIONS' })).status).toBe(404);
    // A traced request after them, so their spans (if any) would have ended by now.
    await spansAfter(await fetch(`${base}/items/1`));
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['inside-items', 'GET /items/:id']);
  });
});

describe('hostAttributes', () => {
  it.each([
    ['127.0.0.1:3000', { 'server.address': '127.0.0.1', 'server.port': 3000 }],
    ['localhost', { 'server.address': 'localhost' }],
    ['[::1]:8080', { 'server.address': '::1', 'server.port': 8080 }],
    ['[::1]', { 'server.address': '::1' }],
  ])('reads %s', (host, expected) => {
    expect(hostAttributes(host)).toEqual(expected);
  });

  it.each([undefined, '', 'a:b:c', 'host:port', 'host:80x'])('reads nothing from %j', (host) => {
    expect(hostAttributes(host)).toEqual({});
  });
});

describe('requestAttributes', () => {
  const request = (url: string | undefined) =>
    ({ method: 'GET', url, headers: { host: 'api:3000' }, httpVersion: '1.1' }) as IncomingMessage;

  it('splits the path from the query', () => {
    expect(requestAttributes(request('/a/b?x=1&y=2'))).toEqual({
      'http.request.method': 'GET',
      'url.path': '/a/b',
      'url.query': 'x=1&y=2',
      'url.scheme': 'http',
      'server.address': 'api',
      'server.port': 3000,
    });
  });

  it('follows the Host header from one request to the next (no stale server.address), and omits what it lacks', () => {
    const withHost = (host: string | undefined) =>
      requestAttributes({ method: 'GET', url: '/', headers: { host } } as IncomingMessage);
    expect(withHost('api:3000')).toMatchObject({ 'server.address': 'api', 'server.port': 3000 });
    expect(withHost('127.0.0.1:3001')).toMatchObject({ 'server.address': '127.0.0.1', 'server.port': 3001 });
    const noPort = withHost('localhost');
    expect(noPort['server.address']).toBe('localhost');
    expect(noPort).not.toHaveProperty('server.port');
    const noHost = withHost(undefined);
    expect(noHost).not.toHaveProperty('server.address');
    expect(noHost).not.toHaveProperty('server.port');
  });

  it('has no url.query without a query, and / without a URL', () => {
    expect(requestAttributes(request('/a'))).not.toHaveProperty('url.query');
    expect(requestAttributes(request(undefined))['url.path']).toBe('/');
  });
});

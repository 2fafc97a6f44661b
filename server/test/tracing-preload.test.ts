/**
 * Both services as they run (stack/src/processes.ts: `node --import ./src/tracing.ts
 * ./src/server.ts`, the supervisor's OTEL_* variables), exporting to a test OTLP/gRPC receiver:
 * the spans their tracing.ts makes (NodeSDK, @fastify/otel, undici) are the ones the docs and
 * the end-to-end specs teach, and their log lines carry the request's trace id.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadStackConfig } from '@tracing-demo/stack';
import { nodeService } from '@tracing-demo/stack/processes';
import { NEVER_RESTART, Supervisor } from '@tracing-demo/stack/supervisor';
import { OtlpGrpcReceiver, type ReceivedSpan } from '@tracing-demo/node-telemetry/test/otlp-grpc-receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const receiver = new OtlpGrpcReceiver();
const dir = mkdtempSync(join(tmpdir(), 'tracing-preload-'));
let supervisor: Supervisor;
let api: string;

beforeAll(async () => {
  await receiver.start();
  const [apiPort, inventoryPort, closedPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const config = loadStackConfig({
    API_PORT: String(apiPort),
    INVENTORY_PORT: String(inventoryPort),
    COLLECTOR_OTLP_GRPC_PORT: String(receiver.port),
    // Nothing listens there: GET /status and GET /traces find everything down.
    COLLECTOR_HEALTH_PORT: String(closedPort),
    JAEGER_UI_PORT: String(closedPort),
    JAEGER_HEALTH_PORT: String(closedPort),
    INVENTORY_DATA_DIR: join(dir, 'inventory'),
    LOG_DIR: join(dir, 'logs'),
  });
  api = config.api.url;
  const fast = { OTEL_BSP_SCHEDULE_DELAY: '20' };
  const inventory = nodeService(config, 'inventory', { restart: NEVER_RESTART, env: fast });
  const apiSpec = nodeService(config, 'api', { restart: NEVER_RESTART, env: fast });
  supervisor = new Supervisor(
    [
      { ...inventory, dependsOn: [] },
      { ...apiSpec, dependsOn: ['inventory'] },
    ],
    { log: () => {}, startTimeoutMs: 30_000 },
  );
  await supervisor.start();
}, 60_000);

afterAll(async () => {
  await supervisor?.stopAll();
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends `path` with a fresh sampled traceparent; its trace id, the sent parent, the Server-Timing span. */
async function send(path: string, init: RequestInit = {}) {
  const traceId = randomBytes(16).toString('hex');
  const parent = randomBytes(8).toString('hex');
  const response = await fetch(`${api}${path}`, {
    ...init,
    headers: { traceparent: `00-${traceId}-${parent}-01`, ...init.headers },
  });
  await response.arrayBuffer();
  const timing = /trace;desc="00-([0-9a-f]{32})-([0-9a-f]{16})-01"/.exec(
    response.headers.get('server-timing') ?? '',
  );
  return { status: response.status, traceId, parent, serverTiming: timing?.[2], timingTrace: timing?.[1] };
}

const spansOf = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
const find = (spans: ReceivedSpan[], service: string, kind: number) =>
  spans.filter((span) => span.service === service && span.kind === kind);

describe('the services with their tracing preload', () => {
  it('a request through both services: one connected trace, SERVER spans from @fastify/otel named by route', async () => {
    const sent = await send('/items/5?q=somequery');
    expect(sent.status).toBe(200);
    await expect.poll(() => spansOf(sent.traceId).length, { timeout: 10_000 }).toBe(4);
    const spans = spansOf(sent.traceId);

    const [server] = find(spans, 'api', SERVER);
    expect(server).toMatchObject({
      scope: '@fastify/otel',
      name: 'GET /items/:id',
      parentSpanId: sent.parent,
      status: 0,
      attributes: {
        'http.route': '/items/:id',
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'url.path': '/items/5',
        'url.query': 'q=somequery',
        'url.scheme': 'http',
        'server.address': '127.0.0.1',
        'app.item.id': 5,
        'app.item.q': 'somequery',
      },
    });
    // Server-Timing names that very span: the direct child of the caller's span.
    expect(sent.timingTrace).toBe(sent.traceId);
    expect(sent.serverTiming).toBe(server!.spanId);

    const [client] = find(spans, 'api', CLIENT);
    expect(client).toMatchObject({
      scope: '@opentelemetry/instrumentation-undici',
      parentSpanId: server!.spanId,
      attributes: { 'http.response.status_code': 200 },
    });
    const [inventory] = find(spans, 'inventory', SERVER);
    expect(inventory).toMatchObject({
      scope: '@fastify/otel',
      name: 'GET /stock/:id',
      parentSpanId: client!.spanId,
      attributes: { 'http.route': '/stock/:id', 'url.path': '/stock/5' },
    });
    const [db] = find(spans, 'inventory', CLIENT);
    expect(db).toMatchObject({ name: 'SELECT items', parentSpanId: inventory!.spanId });
  });

  it('a 400 and a 404 leave the SERVER span unset, a 500 is ERROR with one exception event', async () => {
    const invalid = await send('/items/abc');
    const missing = await send('/items/9999');
    const boom = await send('/boom');
    const noRoute = await send('/no-such-route');
    expect([invalid.status, missing.status, boom.status, noRoute.status]).toEqual([400, 404, 500, 404]);
    const server = async (traceId: string) => {
      await expect.poll(() => find(spansOf(traceId), 'api', SERVER).length).toBe(1);
      return find(spansOf(traceId), 'api', SERVER)[0]!;
    };
    expect(await server(invalid.traceId)).toMatchObject({
      name: 'GET /items/:id',
      status: 0,
      events: [],
      attributes: { 'http.response.status_code': 400 },
    });
    expect(await server(missing.traceId)).toMatchObject({ status: 0, events: [] });
    await expect.poll(() => find(spansOf(missing.traceId), 'inventory', SERVER)[0]?.status).toBe(0);
    expect(await server(boom.traceId)).toMatchObject({
      name: 'GET /boom',
      status: ERROR,
      events: ['exception'],
      attributes: { 'http.response.status_code': 500 },
    });
    // No route matched: named by its method only, without http.route.
    const unrouted = await server(noRoute.traceId);
    expect(unrouted).toMatchObject({ name: 'GET', status: 0 });
    expect(unrouted.attributes).not.toHaveProperty('http.route');
  });

  it('the health, status and trace routes and CORS preflights make no span, nor do their calls to Jaeger', async () => {
    const quiet = [
      await send('/healthz'),
      await send('/status'),
      await send('/traces?limit=5'),
      await send(`/traces/${randomBytes(16).toString('hex')}?wait_ms=0`),
      await send('/items/5', {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
      }),
    ];
    for (const { status } of quiet) expect(status).toBeLessThan(600);
    // Each exporter sends in order: once this request's spans (both services) are in, any span
    // of the requests above would be too.
    const barrier = await send('/items/7');
    await expect.poll(() => spansOf(barrier.traceId).length, { timeout: 10_000 }).toBe(4);
    for (const { traceId } of quiet) expect(spansOf(traceId)).toEqual([]);
    const stray = receiver.spans.filter(
      (span) => span.parentSpanId === '' || /healthz|status|traces/.test(String(span.attributes['url.full'])),
    );
    expect(stray.map((span) => `${span.service} ${span.name}`)).toEqual([]);
  });

  it("every log line of a traced request carries its trace id, Fastify's 'incoming request' included", async () => {
    const sent = await send('/items/11');
    await expect.poll(() => spansOf(sent.traceId).length, { timeout: 10_000 }).toBe(4);
    type Line = { msg: string; trace_id?: string; span_id?: string; req?: { url?: string } };
    const lines = (service: string): Line[] =>
      readFileSync(join(dir, 'logs', `${service}.log`), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Line);
    for (const [service, url] of [
      ['api', '/items/11'],
      ['inventory', '/stock/11'],
    ] as const) {
      const traced = () => lines(service).filter((line) => line.trace_id === sent.traceId);
      await expect
        .poll(() => traced().map((line) => line.msg))
        .toEqual(expect.arrayContaining(['incoming request', 'request completed']));
      for (const line of traced()) expect(line.span_id, `${service}: ${line.msg}`).toMatch(/^[0-9a-f]{16}$/);
      // Written once, inside the span: not also by Fastify before the span started.
      const incoming = lines(service).filter(
        (line) => line.msg === 'incoming request' && line.req?.url === url,
      );
      expect(incoming.map((line) => line.trace_id)).toEqual([sent.traceId]);
    }
    // A trace id nobody used is on no line: the check can fail.
    expect(lines('api').filter((line) => line.trace_id === '0'.repeat(31) + '1')).toEqual([]);
  });
});

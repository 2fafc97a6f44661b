/**
 * startNodeTracing for real (the SERVER spans of server-spans.ts on a real
 * Fastify, the gRPC exporter) against the test receiver: the health path, the service's own untraced paths and CORS
 * preflights make no span at all, not even one started by their handler,
 * while a traced route makes its trace.
 *
 * It installs the global tracer provider: this file is a process of its own
 * (vitest runs each test file in its own worker).
 */
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeTracing } from '../src/node-tracing.ts';
import { OtlpGrpcReceiver } from './otlp-grpc-receiver.ts';

const receiver = new OtlpGrpcReceiver();
let sdk: ReturnType<typeof startNodeTracing>;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  await receiver.start();
  process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = receiver.url;
  process.env.OTEL_BSP_SCHEDULE_DELAY = '20';
  sdk = startNodeTracing({
    serviceName: 'node-tracing-test',
    collectorGrpcEndpoint: receiver.url,
    isUntracedPath: (path) => path.split('?')[0] === '/own-untraced',
  });
  // Loaded after the SDK started, as the --import preload orders it in the services.
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  const handler = (name: string) => async () => {
    // A span the handler starts: recorded only if the request is traced.
    trace.getTracer('node-tracing-test').startSpan(name).end();
    return { status: 'ok' };
  };
  app.get('/healthz', handler('inside-healthz'));
  app.get('/own-untraced', handler('inside-own-untraced'));
  app.get('/traced', handler('inside-traced'));
  app.options('/traced', handler('inside-preflight'));
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  close = () => app.close();
});

afterAll(async () => {
  await close?.();
  await sdk?.shutdown();
  await receiver.stop();
});

describe('startNodeTracing', () => {
  it('makes no span for the health path, the untraced paths and preflights; a traced route makes its trace', async () => {
    for (const path of ['/healthz', '/healthz?probe=1', '/own-untraced', '/own-untraced?x=1']) {
      expect((await fetch(`${base}${path}`)).status).toBe(200);
    }
    expect((await fetch(`${base}/traced`, { method: 'OPTIONS' })).status).toBe(200);
    expect((await fetch(`${base}/traced`)).status).toBe(200);

    await expect.poll(() => receiver.spans.map((span) => span.name)).toContain('inside-traced');
    // Whatever was still to come is flushed by the SDK's shutdown.
    await sdk.shutdown();
    const names = receiver.spans.map((span) => span.name);
    expect(names).not.toContain('inside-healthz');
    expect(names).not.toContain('inside-own-untraced');
    expect(names).not.toContain('inside-preflight');
    // One trace only: the SERVER span (named after the route) and the handler's, both of GET /traced.
    expect(new Set(receiver.spans.map((span) => span.traceId)).size).toBe(1);
    expect(names.toSorted()).toEqual(['GET /traced', 'inside-traced']);
    console.log(`spans received: ${names.join(', ')}`);
  });
});

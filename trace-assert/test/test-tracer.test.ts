import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { otlpTracesUrl, TestTracer, WarnOnceExporter } from '../src/test-tracer.ts';
import type { TestSpanInfo } from '../src/test-span.ts';

const info = {
  title: 't',
  titlePath: ['a.spec.ts', 't'],
  file: '/a.spec.ts',
  line: 1,
  testId: 'id',
  retry: 0,
  project: { name: 'p' },
  status: 'passed',
  expectedStatus: 'passed',
  errors: [],
} as unknown as TestSpanInfo;

/** A port nothing listens on: bound, then closed. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('otlpTracesUrl', () => {
  it('takes the option, then the traces variable as is, then the generic one plus /v1/traces', () => {
    const env = {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:1/x',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://g:2/',
    };
    expect(otlpTracesUrl('http://o:3/v1/traces', env)).toBe('http://o:3/v1/traces');
    expect(otlpTracesUrl(undefined, env)).toBe('http://t:1/x');
    expect(otlpTracesUrl(' ', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://g:2/' })).toBe('http://g:2/v1/traces');
    expect(otlpTracesUrl(undefined, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' })).toBe(
      'http://localhost:4318/v1/traces',
    );
  });
});

describe('WarnOnceExporter', () => {
  it('passes every result on and warns at the first failure only', () => {
    const results: ExportResult[] = [
      { code: ExportResultCode.SUCCESS },
      { code: ExportResultCode.FAILED, error: new Error('refused') },
      { code: ExportResultCode.FAILED, error: new Error('refused again') },
    ];
    const delegate = {
      export: (_spans: ReadableSpan[], done: (result: ExportResult) => void) => done(results.shift()!),
      shutdown: () => Promise.resolve(),
    } satisfies SpanExporter;
    const warnings: unknown[] = [];
    const exporter = new WarnOnceExporter(delegate, (error) => warnings.push(error));
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) exporter.export([], (result) => seen.push(result.code));
    expect(seen).toEqual([ExportResultCode.SUCCESS, ExportResultCode.FAILED, ExportResultCode.FAILED]);
    expect(warnings).toEqual([new Error('refused')]);
  });
});

describe('TestTracer', () => {
  it('with the Collector down: the span ends, shutdown returns, one warning naming the endpoint', async () => {
    const url = `http://127.0.0.1:${await deadPort()}/v1/traces`;
    const warnings: string[] = [];
    const tracer = new TestTracer({ url, warn: (line) => warnings.push(line) });
    for (let i = 0; i < 3; i++) tracer.startTestSpan(info).end();
    await tracer.shutdown();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`could not be exported to ${url}`);
    expect(warnings[0]).toContain('ECONNREFUSED');
  });

  it('makes root spans of service e2e', async () => {
    const exported: ReadableSpan[] = [];
    const tracer = new TestTracer({
      url: 'unused',
      exporter: {
        export: (spans, done) => {
          exported.push(...spans);
          done({ code: ExportResultCode.SUCCESS });
        },
        shutdown: () => Promise.resolve(),
      },
    });
    tracer.startTestSpan(info).end();
    await tracer.shutdown();
    expect(exported).toHaveLength(1);
    expect(exported[0]!.resource.attributes['service.name']).toBe('e2e');
    expect(exported[0]!.parentSpanContext).toBeUndefined();
    expect(exported[0]!.name).toBe('t');
  });
});

/**
 * shutdownTelemetry reaches the provider NodeSDK (here: a provider set the
 * same way) registered with the OpenTelemetry API, and flushes what its batch
 * processor still holds. It sets the global provider: this file runs in a
 * worker of its own (vitest's default).
 */
import { trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { shutdownTelemetry } from '../src/telemetry-shutdown.ts';

describe('shutdownTelemetry', () => {
  it('does nothing, and resolves, when no SDK was started (an untraced service)', async () => {
    await expect(shutdownTelemetry()).resolves.toBeUndefined();
  });

  it('exports the spans the registered provider still holds, then shuts it down', async () => {
    const exported: string[] = [];
    const exporter: SpanExporter = {
      export: (spans, done) => {
        exported.push(...spans.map((span) => span.name));
        done({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => {},
    };
    // A delay no test waits for: only the shutdown can have exported the span.
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 3_600_000 })],
    });
    trace.setGlobalTracerProvider(provider);
    trace.getTracer('telemetry-shutdown-test').startSpan('last span').end();
    expect(exported).toEqual([]);

    await shutdownTelemetry();
    expect(exported).toEqual(['last span']);
    // Shut down: a span ended now is not exported.
    trace.getTracer('telemetry-shutdown-test').startSpan('after').end();
    await provider.forceFlush();
    expect(exported).toEqual(['last span']);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { UntracedUrlFilter } from '../../src/telemetry/tracing-filter';
import { untracedUrls } from '../../src/telemetry/tracing-urls';

function setup() {
  const exporter = new InMemorySpanExporter();
  const filter = new UntracedUrlFilter(
    new SimpleSpanProcessor(exporter),
    untracedUrls({ apiUrl: 'http://127.0.0.1:3000', otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces' }),
  );
  const provider = new BasicTracerProvider({ spanProcessors: [filter] });
  const tracer = provider.getTracer('test');
  const exported = () => exporter.getFinishedSpans().map((span) => span.attributes['url.full'] ?? span.name);
  return { tracer, exported };
}

describe('UntracedUrlFilter', () => {
  it('drops the spans of untraced URLs, such as the resource spans of a page load', () => {
    const { tracer, exported } = setup();
    for (const url of [
      'http://127.0.0.1:3000/status',
      'http://127.0.0.1:3000/traces/4bf92f3577b34da6a3ce929d0e0e4736',
      'http://127.0.0.1:4318/v1/traces',
    ]) {
      tracer.startSpan('resourceFetch', { attributes: { 'url.full': url } }).end();
    }
    expect(exported()).toEqual([]);
  });

  it('passes every other span on, with or without a URL', () => {
    const { tracer, exported } = setup();
    tracer
      .startSpan('resourceFetch', { attributes: { 'url.full': 'http://127.0.0.1:5173/assets/index.js' } })
      .end();
    tracer.startSpan('GET', { attributes: { 'url.full': 'http://127.0.0.1:3000/items/5' } }).end();
    tracer.startSpan('GET', { attributes: { 'url.full': 'http://127.0.0.1:3000/statuses' } }).end();
    tracer.startSpan('user_action GET /').end();
    expect(exported()).toEqual([
      'http://127.0.0.1:5173/assets/index.js',
      'http://127.0.0.1:3000/items/5',
      'http://127.0.0.1:3000/statuses',
      'user_action GET /',
    ]);
  });

  it('drops by the URL the span ends with, not the one it started with', () => {
    const { tracer, exported } = setup();
    const span = tracer.startSpan('resourceFetch');
    span.setAttribute('url.full', 'http://127.0.0.1:3000/status');
    span.end();
    expect(exported()).toEqual([]);
  });

  it('forwards onStart, flush and shutdown to the next processor', async () => {
    const next = {
      onStart: vi.fn(),
      onEnd: vi.fn(),
      forceFlush: vi.fn(() => Promise.resolve()),
      shutdown: vi.fn(() => Promise.resolve()),
    };
    const provider = new BasicTracerProvider({ spanProcessors: [new UntracedUrlFilter(next, [])] });
    provider.getTracer('test').startSpan('kept').end();
    await provider.forceFlush();
    await provider.shutdown();
    expect(next.onStart).toHaveBeenCalledOnce();
    expect(next.onEnd).toHaveBeenCalledOnce();
    expect(next.forceFlush).toHaveBeenCalled();
    expect(next.shutdown).toHaveBeenCalledOnce();
  });
});

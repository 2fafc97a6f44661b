import { describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { ENDED_AT_PAGEHIDE_ATTRIBUTE, OpenSpanTracker } from '../../src/telemetry/open-spans';

function setup() {
  const tracker = new OpenSpanTracker();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [tracker, new SimpleSpanProcessor(exporter)] });
  return { tracker, exporter, tracer: provider.getTracer('test') };
}

describe('OpenSpanTracker', () => {
  it('ends the spans still open at pagehide, marked, and they reach the exporter', () => {
    const { tracker, exporter, tracer } = setup();
    const fetchSpan = tracer.startSpan('GET');
    fetchSpan.setAttribute('http.response.status_code', 200);
    expect(tracker.openCount).toBe(1);
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    expect(tracker.endOpenSpans()).toBe(1);

    const [exported] = exporter.getFinishedSpans();
    expect(exported?.name).toBe('GET');
    expect(exported?.attributes).toMatchObject({
      'http.response.status_code': 200,
      [ENDED_AT_PAGEHIDE_ATTRIBUTE]: true,
    });
    expect(tracker.openCount).toBe(0);
  });

  it('leaves spans that already ended alone: not ended twice, not marked', () => {
    const { tracker, exporter, tracer } = setup();
    tracer.startSpan('done').end();
    expect(tracker.openCount).toBe(0);
    expect(tracker.endOpenSpans()).toBe(0);
    const [done] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect(done?.attributes[ENDED_AT_PAGEHIDE_ATTRIBUTE]).toBeUndefined();
  });

  it("ignores the instrumentation's own end() after the page ended the span", () => {
    const { tracker, exporter, tracer } = setup();
    const span = tracer.startSpan('GET');
    tracker.endOpenSpans();
    span.end();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });
});

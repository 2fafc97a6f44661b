/**
 * The tracer of test spans in one Playwright worker: an OpenTelemetry
 * provider of its own (never registered globally, so it cannot meet an SDK
 * that code under test starts in the same process) exporting over OTLP/HTTP.
 *
 * The official SDK pieces do the work (BatchSpanProcessor, OTLPTraceExporter);
 * what is added is the promise a test run needs: a Collector that is down or
 * does not answer never fails nor hangs a test. Each export gives up after
 * `exportTimeoutMs`, the final flush at the end of the worker after
 * `flushTimeoutMs`, and the first failure prints one warning; the spans of a
 * failed export are dropped.
 */
import { SpanKind, type Span } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { TEST_SERVICE_NAME, testSpanName, testStartAttributes, type TestSpanInfo } from './test-span.ts';

/** The OTLP/HTTP default, as the SDKs have it. */
const DEFAULT_TRACES_URL = 'http://localhost:4318/v1/traces';

/**
 * Where test spans go: `explicit` if given (the fixture option), else the
 * standard variables, as every OpenTelemetry SDK reads them:
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as it is, `OTEL_EXPORTER_OTLP_ENDPOINT`
 * plus `/v1/traces`, else `http://localhost:4318/v1/traces`.
 */
export function otlpTracesUrl(
  explicit: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string {
  if (explicit?.trim()) return explicit.trim();
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (base) return `${base.replace(/\/+$/, '')}/v1/traces`;
  return DEFAULT_TRACES_URL;
}

/** Passes exports through; the first failure (refused, timed out, rejected) prints one warning. */
export class WarnOnceExporter implements SpanExporter {
  readonly #delegate: SpanExporter;
  readonly #warn: (error: unknown) => void;
  #warned = false;

  constructor(delegate: SpanExporter, warn: (error: unknown) => void) {
    this.#delegate = delegate;
    this.#warn = warn;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#delegate.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS && !this.#warned) {
        this.#warned = true;
        this.#warn(result.error);
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.#delegate.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#delegate.forceFlush?.() ?? Promise.resolve();
  }
}

export interface TestTracerOptions {
  /** The OTLP/HTTP traces URL (see {@link otlpTracesUrl}). */
  url: string;
  /** One export may take this long before it is given up. Default 2000. */
  exportTimeoutMs?: number;
  /** The flush at shutdown may take this long. Default 3000. */
  flushTimeoutMs?: number;
  /** Where the one warning goes. Default console.warn. */
  warn?: (line: string) => void;
  /** Replaces the OTLP exporter (unit tests). */
  exporter?: SpanExporter;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return error === undefined ? 'unknown error' : String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

/** Waits for `promise`, or `ms`, whichever comes first; never rejects. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise.then(noop, noop), timeout]);
  clearTimeout(timer);
}

function noop(): void {}

/** Makes and exports test spans for one worker. */
export class TestTracer {
  readonly url: string;
  readonly #provider: BasicTracerProvider;
  readonly #flushTimeoutMs: number;

  constructor(options: TestTracerOptions) {
    this.url = options.url;
    const exportTimeoutMs = options.exportTimeoutMs ?? 2000;
    this.#flushTimeoutMs = options.flushTimeoutMs ?? 3000;
    const warn = options.warn ?? ((line: string) => console.warn(line));
    const exporter = new WarnOnceExporter(
      options.exporter ?? new OTLPTraceExporter({ url: this.url, timeoutMillis: exportTimeoutMs }),
      (error) =>
        warn(
          `[trace-assert] test spans could not be exported to ${this.url} (${describeError(error)}); ` +
            'the tests run on, their spans are dropped. This warning is printed once per worker.',
        ),
    );
    this.#provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: TEST_SERVICE_NAME }),
      spanProcessors: [
        new BatchSpanProcessor(exporter, {
          // Soon after a test ends, so a later test (or a person) finds its span in the backend.
          scheduledDelayMillis: 200,
          // Later than the exporter's own timeout, so a Collector that never
          // answers is reported by the exporter's callback (the warning)
          // before the processor gives up on the export.
          exportTimeoutMillis: exportTimeoutMs + 500,
        }),
      ],
    });
  }

  /** Starts the span of the test `info` describes: a root span, `service.name` `e2e`. */
  startTestSpan(info: TestSpanInfo): Span {
    return this.#provider.getTracer('@tracing-demo/trace-assert').startSpan(testSpanName(info), {
      kind: SpanKind.INTERNAL,
      root: true,
      attributes: testStartAttributes(info),
    });
  }

  /** Sends what is left and stops, within the flush timeout whatever the Collector does. */
  async shutdown(): Promise<void> {
    await within(this.#provider.shutdown(), this.#flushTimeoutMs);
  }
}

/**
 * A span exporter that reports a Collector outage in one line, not one per
 * failed batch: the first failed export of an outage logs a warning naming
 * the endpoint and the error, the first successful export after it logs that
 * exports work again; failures in between are silent.
 *
 * The BatchSpanProcessor still hands each failure to the global error
 * handler; `quietErrorHandler` drops the errors this class already reported
 * and passes every other error on to the diag logger.
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Errors of failed exports a QuietExporter has reported (or kept silent about on purpose). */
const reported = new WeakSet<object>();

export interface QuietExporterOptions {
  /** Named in the log lines, e.g. http://127.0.0.1:4317. */
  endpoint: string;
  /** Where the two lines go. Default console.warn. */
  warn?: (line: string) => void;
}

function oneLine(error: Error | undefined): string {
  const message = error?.message ?? 'unknown error';
  return message.replace(/\s+/g, ' ').trim();
}

export class QuietExporter implements SpanExporter {
  readonly #delegate: SpanExporter;
  readonly #endpoint: string;
  readonly #warn: (line: string) => void;
  #failing = false;

  constructor(delegate: SpanExporter, options: QuietExporterOptions) {
    this.#delegate = delegate;
    this.#endpoint = options.endpoint;
    this.#warn = options.warn ?? ((line) => console.warn(line));
  }

  /** True between the first failed export of an outage and the next successful one. */
  get failing(): boolean {
    return this.#failing;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.#delegate.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        if (this.#failing) {
          this.#failing = false;
          this.#warn(`Trace export to ${this.#endpoint} works again.`);
        }
        resultCallback(result);
        return;
      }
      // The processor reports result.error (or a new Error of its own if
      // there is none) to the global error handler: make it one we know.
      const error = result.error ?? new Error('span export failed');
      reported.add(error);
      if (!this.#failing) {
        this.#failing = true;
        this.#warn(
          `Trace export to ${this.#endpoint} failed: ${oneLine(error)}. ` +
            'Spans are dropped until it works again; no further warning until then.',
        );
      }
      resultCallback({ code: result.code, error });
    });
  }

  shutdown(): Promise<void> {
    return this.#delegate.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#delegate.forceFlush?.() ?? Promise.resolve();
  }
}

/** Whether a QuietExporter already reported this error. */
export function alreadyReported(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reported.has(error);
}

/** For setGlobalErrorHandler: drops what a QuietExporter reported, sends the rest to diag.error. */
export function quietErrorHandler(error: unknown): void {
  if (alreadyReported(error)) return;
  diag.error(`OpenTelemetry error: ${error instanceof Error ? oneLine(error) : String(error)}`);
}

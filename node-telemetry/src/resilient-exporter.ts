/**
 * The span exporter of the Node services: it sends through an OTLP/gRPC
 * exporter (the delegate), and a short Collector outage loses no span and
 * costs a few log lines, not one per batch:
 *
 * - A batch that fails is kept in a bounded RetryBuffer (retry-buffer.ts:
 *   at most N spans, for at most M ms, oldest dropped first) and resent once
 *   the Collector answers. While exports fail, new batches join the end of
 *   the buffer and a retry timer sends the oldest one (after 250 ms, then
 *   doubling up to 1 s): one attempt at a time, in export order, and no span
 *   is sent again once it was sent successfully.
 * - After each failed export the delegate is replaced by a new one (see
 *   `#replaceDelegate` for why), so the first attempt after the Collector
 *   is back connects at once.
 * - Lines (through `warn`): one when an outage starts (naming the endpoint
 *   and the error), one when exports work again, and one with the number
 *   of spans dropped and why, if any were, at the end of the outage or at
 *   shutdown. A batch the Collector refuses for good (a gRPC code that
 *   retrying cannot fix, such as INVALID_ARGUMENT) is dropped with one line,
 *   then silence until an export succeeds.
 *
 * A kept batch is answered SUCCESS to the span processor: delivering it is
 * now this exporter's job. (Answered FAILED, the BatchSpanProcessor would
 * also reject its flush, and its shutdown would then never call
 * `shutdown()` here, so the kept spans would never get their last attempt.)
 * A refused batch is answered FAILED with its error, marked so that
 * `quietErrorHandler` does not print it a second time.
 */
import { context, diag } from '@opentelemetry/api';
import {
  ExportResultCode,
  setGlobalErrorHandler,
  suppressTracing,
  type ExportResult,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  RETRY_BUFFER_VARIABLES,
  RetryBuffer,
  retryBufferLimitsFromEnv,
  type RetryBufferLimits,
} from './retry-buffer.ts';

/** Errors of failed exports a ResilientExporter has reported (or kept silent about on purpose). */
const reported = new WeakSet<object>();

/**
 * gRPC status codes that say the Collector got the batch and will never take
 * it (the OTLP spec's non-retryable codes, minus INTERNAL and UNKNOWN, which
 * grpc-js also uses for a connection that broke mid-call). Resending such a
 * batch would only block the ones behind it.
 */
const REFUSAL_CODES = new Set([
  3, // INVALID_ARGUMENT
  5, // NOT_FOUND
  6, // ALREADY_EXISTS
  7, // PERMISSION_DENIED
  9, // FAILED_PRECONDITION
  12, // UNIMPLEMENTED
  16, // UNAUTHENTICATED
]);

function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && REFUSAL_CODES.has(code);
}

export interface ResilientExporterOptions {
  /** Named in the log lines, e.g. http://127.0.0.1:4317. */
  endpoint: string;
  /** Bounds of the spans kept while exports fail. */
  limits: RetryBufferLimits;
  /** Where the lines go. Default console.warn. */
  warn?: (line: string) => void;
  /** Pause before the first resend after a failure; it doubles after each failed resend. Default 250. */
  retryInitialMs?: number;
  /** Longest pause between two resends, so a Collector that is back is found within it. Default 1000. */
  retryMaxMs?: number;
  /** How long shutdown may try to send what is kept before dropping it. Default 2000. */
  shutdownFlushMs?: number;
  /** The retry buffer's clock (ms). Default performance.now. */
  now?: () => number;
}

function oneLine(error: unknown): string {
  const message =
    error instanceof Error ? error.message : error === undefined ? 'unknown error' : String(error);
  // grpc-js ends a connection error with "Resolution note: " even when it has none.
  return message
    .replace(/\s+/g, ' ')
    .replace(/ ?Resolution note: ?$/, '')
    .trim()
    .replace(/[.:;,]+$/, '');
}

/** Waits for `promise` (its outcome ignored), or `ms`, whichever comes first. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
  });
  await Promise.race([promise.then(noop, noop), timeout]);
  clearTimeout(timer);
}

function noop(): void {}

export class ResilientExporter implements SpanExporter {
  readonly #create: () => SpanExporter;
  #delegate: SpanExporter;
  /** The delegate's last export failed: replace it before the next one. */
  #stale = false;
  readonly #buffer: RetryBuffer<ReadableSpan>;
  readonly #endpoint: string;
  readonly #warn: (line: string) => void;
  readonly #retryInitialMs: number;
  readonly #retryMaxMs: number;
  readonly #shutdownFlushMs: number;
  #retryDelayMs: number;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Export order of batches, so a batch that fails late is kept before newer ones. */
  #seq = 0;
  #failing = false;
  #refusing = false;
  /** The run that sends kept batches, oldest first, while one is under way. */
  #draining: Promise<void> | undefined;
  /** Spans of the kept batch that run is sending. */
  #keptInFlight = 0;
  readonly #inFlight = new Set<Promise<ExportResult>>();
  #closing = false;
  #closed = false;
  #shutdown: Promise<void> | undefined;

  /**
   * @param create makes the exporter that does the sending (e.g. `() => new
   *   OTLPTraceExporter()`); called now, and again after each failed export.
   */
  constructor(create: () => SpanExporter, options: ResilientExporterOptions) {
    this.#create = create;
    this.#delegate = create();
    this.#buffer = new RetryBuffer(options.limits, options.now);
    this.#endpoint = options.endpoint;
    this.#warn = options.warn ?? ((line) => console.warn(line));
    this.#retryInitialMs = options.retryInitialMs ?? 250;
    this.#retryMaxMs = options.retryMaxMs ?? 1000;
    this.#shutdownFlushMs = options.shutdownFlushMs ?? 2000;
    this.#retryDelayMs = this.#retryInitialMs;
  }

  /** True between the first failed export of an outage and the next successful one. */
  get failing(): boolean {
    return this.#failing;
  }

  /** Spans waiting to be resent. */
  get keptSpans(): number {
    return this.#buffer.size;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#closed) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('the exporter is shut down') });
      return;
    }
    const seq = ++this.#seq;
    if (this.#failing || this.#buffer.size > 0 || this.#draining !== undefined) {
      // Behind the spans already waiting: export order is kept, and during
      // an outage only the retry timer asks the Collector, once at a time.
      this.#buffer.keep(seq, spans);
      resultCallback({ code: ExportResultCode.SUCCESS });
      if (!this.#failing) void this.#sendKept();
      return;
    }
    void this.#send(spans).then((result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.#succeeded(0);
        resultCallback(result);
        // Kept while this one was on its way (another export failed meanwhile).
        if (this.#buffer.size > 0) void this.#sendKept();
      } else if (isRefusal(result.error)) {
        resultCallback(this.#refused(spans.length, result.error));
      } else {
        this.#buffer.keep(seq, spans);
        this.#failed(result.error);
        resultCallback({ code: ExportResultCode.SUCCESS });
      }
    });
  }

  /** Sends what is kept now (not waiting for the retry timer): one pass, until it is all sent or an attempt fails. */
  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
    await this.#sendKept();
    await this.#delegate.forceFlush?.();
  }

  /**
   * One last attempt to send what is kept, bounded by `shutdownFlushMs`
   * (a Collector that does not answer must not hold the service's exit),
   * then the count of what had to be dropped, then the delegate's shutdown
   * (bounded too).
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#shutDown();
    return this.#shutdown;
  }

  async #shutDown(): Promise<void> {
    const deadline = performance.now() + this.#shutdownFlushMs;
    this.#closing = true;
    this.#clearRetry();
    await within(
      Promise.allSettled([...this.#inFlight]).then(() => this.#sendKept()),
      deadline - performance.now(),
    );
    this.#closed = true;
    // A kept batch still on its way counts as lost: nothing will wait for it.
    this.#reportDrops(this.#buffer.clear() + this.#keptInFlight);
    await within(this.#delegate.shutdown(), deadline - performance.now());
  }

  /** Exports through the current delegate, replacing it first if its last export failed. */
  #send(spans: ReadableSpan[]): Promise<ExportResult> {
    if (this.#stale) this.#replaceDelegate();
    const delegate = this.#delegate;
    const sent = new Promise<ExportResult>((resolve) => {
      // As in the batch processor: the export's own work makes no span,
      // also when the retry timer starts it.
      context.with(suppressTracing(context.active()), () => {
        try {
          delegate.export(spans, resolve);
        } catch (error) {
          resolve({ code: ExportResultCode.FAILED, error: error as Error });
        }
      });
    });
    this.#inFlight.add(sent);
    return sent.then((result) => {
      this.#inFlight.delete(sent);
      if (
        result.code !== ExportResultCode.SUCCESS &&
        !isRefusal(result.error) &&
        delegate === this.#delegate
      ) {
        this.#stale = true;
      }
      return result;
    });
  }

  /**
   * Why a new delegate, not a channel option: grpc-js waits between two
   * connection attempts with an exponential backoff (1 s, x1.6, up to
   * 120 s: `grpc.initial_reconnect_backoff_ms`, `grpc.max_reconnect_backoff_ms`),
   * and while it waits every call fails at once, so after a long outage the
   * Collector could be back for up to two minutes before a span got through.
   * The OTLP exporter takes no channel options: its gRPC transport builds the
   * client with only compression and user agent
   * (@opentelemetry/otlp-grpc-exporter-base 0.222,
   * grpc-exporter-transport.js). A new delegate has a new channel, whose
   * first call connects at once, on the condition that the old channel is
   * closed first: grpc-js keeps connections (subchannels) in a global pool
   * keyed by address, options and credentials, so a new channel would get
   * the old subchannel, backoff included. Closing the old channel
   * (`shutdown()` -> `client.close()`) releases its subchannel and removes it
   * from the pool (grpc-js 1.14, internal-channel.ts `close()` ->
   * `unrefUnusedSubchannels()`). Measured with a 12 s outage: first export
   * after the restart 4 s later with one exporter, 6 s with a new exporter
   * but the old one left open, 8 ms with this.
   */
  #replaceDelegate(): void {
    const old = this.#delegate;
    this.#delegate = this.#create();
    this.#stale = false;
    // Waits for the old one's calls in flight (all failed or about to), then closes its channel.
    old.shutdown().catch(noop);
  }

  /** Starts sending kept batches, oldest first, unless that is under way; resolves when the run ends. */
  #sendKept(): Promise<void> {
    this.#clearRetry();
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
      // A batch kept while the run was ending, or a failure that left some.
      if (this.#buffer.size > 0 && !this.#closing) {
        if (this.#failing) this.#scheduleRetry();
        else void this.#sendKept();
      }
    });
    return this.#draining;
  }

  async #drain(): Promise<void> {
    for (;;) {
      if (this.#closed) return;
      const batch = this.#buffer.takeOldest();
      if (batch === undefined) return;
      this.#keptInFlight = batch.items.length;
      const result = await this.#send([...batch.items]);
      this.#keptInFlight = 0;
      if (result.code === ExportResultCode.SUCCESS) {
        this.#succeeded(batch.items.length);
      } else if (isRefusal(result.error)) {
        this.#refused(batch.items.length, result.error);
      } else {
        this.#buffer.putBack(batch);
        this.#failed(result.error);
        return;
      }
    }
  }

  /** @param resent spans of the outage this export carried (0 for a new batch). */
  #succeeded(resent: number): void {
    this.#retryDelayMs = this.#retryInitialMs;
    this.#refusing = false;
    if (!this.#failing) return;
    this.#failing = false;
    const kept = this.#buffer.size + resent;
    this.#warn(
      kept === 0
        ? `Trace export to ${this.#endpoint} works again.`
        : `Trace export to ${this.#endpoint} works again; sending the ${kept} spans kept during the outage.`,
    );
    this.#reportDrops(0);
  }

  #failed(error: unknown): void {
    this.#scheduleRetry();
    if (this.#failing) return;
    this.#failing = true;
    const { maxSpans, maxAgeMs } = this.#buffer.limits;
    this.#warn(
      `Trace export to ${this.#endpoint} failed: ${oneLine(error)}. ` +
        `Spans are kept (at most ${maxSpans}, for at most ${maxAgeMs / 1000} s) and resent when it works again; ` +
        'no further warning until then.',
    );
  }

  /** A batch the Collector will never take: dropped, reported once until an export succeeds. */
  #refused(count: number, error: unknown): ExportResult {
    const known = error instanceof Error ? error : new Error(oneLine(error));
    reported.add(known);
    if (!this.#refusing) {
      this.#refusing = true;
      this.#warn(
        `Trace export to ${this.#endpoint}: the Collector refused ${count} spans: ${oneLine(known)}. ` +
          'Refused spans are dropped, not resent; no further warning until an export succeeds.',
      );
    }
    return { code: ExportResultCode.FAILED, error: known };
  }

  /** One line with the spans dropped since the last report, if any, and why. */
  #reportDrops(atShutdown: number): void {
    const { full, expired } = this.#buffer.takeDropped();
    const total = full + expired + atShutdown;
    if (total === 0) return;
    const { maxSpans, maxAgeMs } = this.#buffer.limits;
    const reasons = [
      full > 0 && `${full} because at most ${maxSpans} are kept (${RETRY_BUFFER_VARIABLES.maxSpans.name})`,
      expired > 0 &&
        `${expired} because they waited longer than ${maxAgeMs} ms (${RETRY_BUFFER_VARIABLES.maxAgeMs.name})`,
      atShutdown > 0 && `${atShutdown} because the service stopped before ${this.#endpoint} took them`,
    ].filter(Boolean);
    this.#warn(`Trace export to ${this.#endpoint}: ${total} spans were dropped: ${reasons.join('; ')}.`);
  }

  #scheduleRetry(): void {
    if (this.#closing || this.#retryTimer !== undefined || this.#draining !== undefined) return;
    const delay = this.#retryDelayMs;
    this.#retryDelayMs = Math.min(delay * 2, this.#retryMaxMs);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#sendKept();
    }, delay);
    // Kept spans must not keep the process alive; shutdown gives them their last chance.
    this.#retryTimer.unref();
  }

  #clearRetry(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }
}

/** Whether a ResilientExporter already reported this error. */
export function alreadyReported(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reported.has(error);
}

/** For setGlobalErrorHandler: drops what a ResilientExporter reported, sends the rest to diag.error. */
export function quietErrorHandler(error: unknown): void {
  if (alreadyReported(error)) return;
  diag.error(`OpenTelemetry error: ${error instanceof Error ? oneLine(error) : String(error)}`);
}

/**
 * The services' trace exporter, for NodeSDK's `traceExporter` option: OTLP/gRPC
 * (`OTLPTraceExporter`, which reads OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and the
 * other OTEL_EXPORTER_OTLP_* variables itself) behind a ResilientExporter
 * whose limits come from OTEL_EXPORTER_OTLP_TRACES_RETRY_BUFFER_SIZE and
 * OTEL_EXPORTER_OTLP_TRACES_RETRY_MAX_AGE. It also installs
 * `quietErrorHandler`, so a refused batch is reported once, not again by the
 * SDK's error handler.
 */
export class ResilientOTLPTraceExporter extends ResilientExporter {
  constructor(env: Record<string, string | undefined> = process.env) {
    super(() => new OTLPTraceExporter(), {
      endpoint:
        env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://localhost:4317',
      limits: retryBufferLimitsFromEnv(env, (line) => console.warn(line)),
    });
    setGlobalErrorHandler(quietErrorHandler);
  }
}

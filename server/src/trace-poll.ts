/**
 * Asks Jaeger for one trace, again and again, until it is complete or the
 * caller's wait runs out. A trace shows up in Jaeger piece by piece (each
 * service exports its spans on its own schedule), so "complete" means:
 * connected (one root, no missing parent) and the span count unchanged
 * between two polls.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { TraceSpanView } from '@tracing-demo/stack/trace-view';
import { flattenOtlpTrace, isComplete } from './jaeger-trace.ts';

/** How long one Jaeger request may take before Jaeger counts as unreachable. */
export const JAEGER_REQUEST_TIMEOUT_MS = 2000;

/** Jaeger could not be asked: refused, timed out, a 5xx, or a body that is not an OTLP trace. */
export class JaegerUnreachableError extends Error {
  override name = 'JaegerUnreachableError';
}

export type FetchTraceOutcome = { found: false } | { found: true; spans: TraceSpanView[] };

export interface JaegerRequestOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Runs `fn` with tracing suppressed: the requests to Jaeger (and to health
 * endpoints) are plumbing of the demo page, and must not show up as CLIENT
 * spans in the traces the page draws (an undici/fetch instrumentation honours this).
 */
export function untraced<T>(fn: () => T): T {
  return context.with(suppressTracing(context.active()), fn);
}

/**
 * One GET of `${jaegerUrl}/api/v3/traces/${traceId}`. A 404 (or a trace with
 * no spans yet) is `{found: false}`; any other failure throws
 * {@link JaegerUnreachableError}. An abort of `signal` rethrows its reason.
 */
export async function fetchJaegerTrace(
  jaegerUrl: string,
  traceId: string,
  options: JaegerRequestOptions = {},
): Promise<FetchTraceOutcome> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const url = `${jaegerUrl.replace(/\/+$/, '')}/api/v3/traces/${traceId}`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? JAEGER_REQUEST_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let status: number;
  let body: string;
  try {
    const response = await untraced(() =>
      fetchImpl(url, { headers: { accept: 'application/json' }, signal }),
    );
    status = response.status;
    body = await response.text();
  } catch (error) {
    options.signal?.throwIfAborted();
    throw new JaegerUnreachableError(
      timeout.aborted
        ? `GET ${url}: no answer within ${options.timeoutMs ?? JAEGER_REQUEST_TIMEOUT_MS} ms`
        : `GET ${url}: ${errorText(error)}`,
      { cause: error },
    );
  }
  if (status === 404) return { found: false };
  if (status < 200 || status > 299) throw new JaegerUnreachableError(`GET ${url} answered ${status}`);
  let spans: TraceSpanView[];
  try {
    spans = flattenOtlpTrace(JSON.parse(body));
  } catch (error) {
    throw new JaegerUnreachableError(`GET ${url}: ${errorText(error)}`, { cause: error });
  }
  return spans.length === 0 ? { found: false } : { found: true, spans };
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici's "fetch failed" keeps the useful part (ECONNREFUSED…) in `cause`.
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

export interface PollTraceOptions extends JaegerRequestOptions {
  jaegerUrl: string;
  traceId: string;
  /** Stop polling after this long (a request under way may add up to its timeout). */
  waitMs: number;
  /** Pause between polls. */
  intervalMs: number;
}

export type PollTraceOutcome =
  | { kind: 'found'; complete: boolean; spans: TraceSpanView[]; polls: number }
  | { kind: 'not-found'; polls: number }
  | { kind: 'unreachable'; error: JaegerUnreachableError; polls: number };

/**
 * Polls Jaeger every `intervalMs` until the trace is complete (connected, and
 * the same span count as the previous poll) or `waitMs` has passed, then
 * returns the last spans seen, `not-found` if Jaeger never had the trace, or
 * `unreachable` on the first failed request: a dead Jaeger is reported at
 * once, not after the whole wait. If spans were already seen before the
 * failure, they are returned (incomplete) instead. Aborting `signal` (the
 * client went away) rejects with its reason.
 */
export async function pollTrace(options: PollTraceOptions): Promise<PollTraceOutcome> {
  const { jaegerUrl, traceId, waitMs, intervalMs, signal } = options;
  const deadline = performance.now() + waitMs;
  let polls = 0;
  let last: TraceSpanView[] | undefined;
  let previousCount: number | undefined;
  for (;;) {
    signal?.throwIfAborted();
    polls += 1;
    let outcome: FetchTraceOutcome;
    try {
      outcome = await fetchJaegerTrace(jaegerUrl, traceId, options);
    } catch (error) {
      if (!(error instanceof JaegerUnreachableError)) throw error;
      if (last) return { kind: 'found', complete: false, spans: last, polls };
      return { kind: 'unreachable', error, polls };
    }
    if (outcome.found) {
      if (isComplete(outcome.spans, previousCount)) {
        return { kind: 'found', complete: true, spans: outcome.spans, polls };
      }
      last = outcome.spans;
      previousCount = outcome.spans.length;
    } else {
      previousCount = undefined;
    }
    const left = deadline - performance.now();
    if (left <= 0) {
      return last ? { kind: 'found', complete: false, spans: last, polls } : { kind: 'not-found', polls };
    }
    await delay(Math.min(intervalMs, left), undefined, signal ? { signal } : undefined);
  }
}

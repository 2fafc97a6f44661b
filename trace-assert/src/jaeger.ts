/**
 * Reading traces back from Jaeger v2's query API (`/api/v3`, OTLP/JSON), and
 * the one poller that waits for a trace to be complete. Used by the
 * assertions (wait.ts) and by the API's trace route alike. Plain ECMAScript
 * plus `fetch`: no `node:` module, no Playwright, no OpenTelemetry (a caller
 * that must not trace these requests passes its own `fetch`).
 *
 * Spans arrive in Jaeger in pieces: the browser batches and flushes its spans
 * on its own schedule, each service flushes its own, and the Collector
 * batches them all. "The trace exists" is therefore not "the trace is
 * complete"; {@link pollTrace} polls until the caller's idea of complete holds
 * AND the span count has stopped moving.
 */
import { parseOtlpSpans, traceFromSpans } from './otlp-json.ts';
import type { Trace, TraceSpan } from './model.ts';

/** A fetched trace with the raw JSON Jaeger answered (kept for test attachments). */
export interface FetchTraceResult {
  trace: Trace;
  raw: unknown;
}

export interface JaegerRequestOptions {
  /** Aborts the request: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Gives up on an answer after this long (a {@link JaegerUnreachableError}). Default: no limit. */
  timeoutMs?: number;
  /** The fetch to use; `globalThis.fetch` by default (the API passes one that makes no span). */
  fetch?: typeof fetch;
}

/** Jaeger gave no usable answer: refused, timed out, or a status other than 2xx and 404. */
export class JaegerUnreachableError extends Error {
  override name = 'JaegerUnreachableError';
}

/** Jaeger answered 2xx with something that is not the trace asked for: not JSON, not OTLP, another trace. */
export class JaegerAnswerError extends Error {
  override name = 'JaegerAnswerError';
  /** What is wrong, without Jaeger's URL or body: fit to pass on to a client. */
  readonly problem: string;

  constructor(message: string, problem: string, options?: ErrorOptions) {
    super(message, options);
    this.problem = problem;
  }
}

const TRACE_ID = /^[0-9a-f]{32}$/;

function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** An error's message, with its cause: undici's "fetch failed" keeps the useful part (ECONNREFUSED…) there. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

/** One GET on Jaeger: the status and the body text, for every HTTP answer. */
async function get(
  url: string,
  { signal, timeoutMs, fetch: fetchImpl = globalThis.fetch }: JaegerRequestOptions,
): Promise<{ status: number; statusText: string; body: string }> {
  const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const signals = [signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  const init: RequestInit = { headers: { accept: 'application/json' } };
  if (signals.length > 0) init.signal = AbortSignal.any(signals);
  try {
    const response = await fetchImpl(url, init);
    return { status: response.status, statusText: response.statusText, body: await response.text() };
  } catch (error) {
    signal?.throwIfAborted();
    throw new JaegerUnreachableError(
      timeout?.aborted
        ? `Jaeger GET ${url}: no answer within ${timeoutMs} ms`
        : `Jaeger GET ${url}: ${errorText(error)}`,
      { cause: error },
    );
  }
}

function statusError(url: string, answer: { status: number; statusText: string; body: string }): Error {
  return new JaegerUnreachableError(
    `Jaeger GET ${url} answered ${answer.status} ${answer.statusText}: ${excerpt(answer.body)}`,
  );
}

/** A {@link JaegerAnswerError} for an OTLP document that the reader refused. */
function unreadable(url: string, error: unknown): JaegerAnswerError {
  const problem = errorText(error);
  return new JaegerAnswerError(
    `Jaeger GET ${url} answered a trace that cannot be read: ${problem}`,
    problem,
    {
      cause: error,
    },
  );
}

/** The spans of a 2xx answer, or a {@link JaegerAnswerError} saying why it is not a trace. */
function spansOf(
  url: string,
  answer: { status: number; body: string },
): { spans: TraceSpan[]; raw: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(answer.body);
  } catch {
    throw new JaegerAnswerError(
      `Jaeger GET ${url} answered ${answer.status} with a body that is not JSON: ${excerpt(answer.body)}`,
      'it is not JSON',
    );
  }
  try {
    return { spans: parseOtlpSpans(raw), raw };
  } catch (error) {
    throw unreadable(url, error);
  }
}

/**
 * GETs `${jaegerUrl}/api/v3/traces/${traceId}` and reads it.
 *
 * Returns `undefined` while the trace is not there yet (404, or a 200 without
 * spans). Throws {@link JaegerUnreachableError} when there is no answer (in
 * `timeoutMs`) or any other non-2xx status (with the status and a body
 * excerpt), and {@link JaegerAnswerError} on a body that is not an OTLP trace
 * or is another trace. The returned trace carries `jaegerUrl` so failure
 * messages can link to it.
 */
export async function fetchTrace(
  jaegerUrl: string,
  traceId: string,
  options: JaegerRequestOptions = {},
): Promise<FetchTraceResult | undefined> {
  const id = traceId.toLowerCase();
  if (!TRACE_ID.test(id))
    throw new Error(`fetchTrace: trace id must be 32 hex digits, got ${JSON.stringify(traceId)}`);
  const base = jaegerUrl.replace(/\/+$/, '');
  const url = `${base}/api/v3/traces/${id}`;
  const answer = await get(url, options);
  if (answer.status === 404) return undefined;
  if (answer.status < 200 || answer.status > 299) throw statusError(url, answer);
  const { spans, raw } = spansOf(url, answer);
  if (spans.length === 0) return undefined;
  let trace: Trace;
  try {
    trace = traceFromSpans(spans, { jaegerUrl: base });
  } catch (error) {
    throw unreadable(url, error);
  }
  if (trace.traceId !== id) {
    const problem = `it is trace ${trace.traceId}`;
    throw new JaegerAnswerError(`Jaeger GET ${url} answered with trace ${trace.traceId}`, problem);
  }
  return { trace, raw };
}

/**
 * Every span Jaeger holds of `service`'s traces that started in
 * [`since`, `until`] (at most `limit` traces), from the query API's search
 * (`GET /api/v3/traces?query.service_name=…`). For assertions over many
 * traces, e.g. "no trace of a health check exists".
 */
export async function searchSpans(
  jaegerUrl: string,
  {
    service,
    since,
    until = new Date(),
    limit = 1000,
    ...options
  }: { service: string; since: Date; until?: Date; limit?: number } & JaegerRequestOptions,
): Promise<TraceSpan[]> {
  const query = new URLSearchParams({
    'query.service_name': service,
    'query.start_time_min': since.toISOString(),
    'query.start_time_max': until.toISOString(),
    'query.num_traces': String(limit),
  });
  const url = `${jaegerUrl.replace(/\/+$/, '')}/api/v3/traces?${query}`;
  const answer = await get(url, options);
  // Jaeger answers 404 when no trace matches.
  if (answer.status === 404) return [];
  if (answer.status < 200 || answer.status > 299) throw statusError(url, answer);
  return spansOf(url, answer).spans;
}

/** How long the last poll, started at the deadline, may take to answer. */
const REQUEST_GRACE_MS = 1000;

export interface PollTraceOptions extends Omit<JaegerRequestOptions, 'timeoutMs'> {
  /** Jaeger UI/query base URL, e.g. `http://127.0.0.1:16686`. */
  jaegerUrl: string;
  traceId: string;
  /** Stop polling after this long. */
  timeoutMs: number;
  /** Pause between polls. */
  intervalMs: number;
  /** This many consecutive polls must see the same span count. Default 2 (1 disables the check). */
  stablePolls?: number;
  /** What else makes the trace complete, e.g. "every expected span is there". Default: nothing else. */
  isComplete?: (trace: Trace) => boolean;
  /**
   * What a failed request does: `retry` remembers the error and polls on (a
   * test's Jaeger may still be starting); `stop` returns at once (a page must
   * hear now that Jaeger is down, not after the whole wait). Default `retry`.
   */
  onError?: 'retry' | 'stop';
  /**
   * How long one request may take. Default: what is left of `timeoutMs`, and
   * at least a second, so the poll made right at the deadline still gets a
   * fair chance to answer.
   */
  requestTimeoutMs?: number;
}

export interface PollTraceResult {
  /** True when the last poll saw a complete trace with a span count confirmed stable. */
  complete: boolean;
  /** The last trace seen, even if later polls failed or found nothing; undefined if none ever came. */
  last: FetchTraceResult | undefined;
  /** Number of requests made to Jaeger. */
  polls: number;
  waitedMs: number;
  /**
   * Epoch ms of the first poll that already saw the final trace (complete,
   * the final span count): when the trace became complete, as opposed to when
   * its stability was confirmed one or more polls later. Undefined unless complete.
   */
  completedAt: number | undefined;
  /** The last failed request's error, and the poll (1-based) it failed on. */
  lastError: unknown;
  lastErrorPoll: number;
  /** Span count of the last poll (0 for not found, -1 when it failed), and how many polls in a row saw it. */
  lastCount: number;
  sameCountPolls: number;
}

/**
 * Polls `fetchTrace` every `intervalMs` until the trace is complete
 * (`isComplete` holds, and the span count was the same for `stablePolls`
 * consecutive polls) or `timeoutMs` has passed, and says what it saw. Never
 * throws for Jaeger's sake (see `onError`); aborting `signal` rejects with
 * the signal's reason.
 */
export async function pollTrace(options: PollTraceOptions): Promise<PollTraceResult> {
  const { jaegerUrl, traceId, signal, intervalMs } = options;
  const stablePolls = Math.max(1, options.stablePolls ?? 2);
  const isComplete = options.isComplete ?? (() => true);
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const result: PollTraceResult = {
    complete: false,
    last: undefined,
    polls: 0,
    waitedMs: 0,
    completedAt: undefined,
    lastError: undefined,
    lastErrorPoll: 0,
    lastCount: -1,
    sameCountPolls: 0,
  };
  const done = (): PollTraceResult => ({ ...result, waitedMs: Math.round(performance.now() - started) });

  for (;;) {
    signal?.throwIfAborted();
    result.polls += 1;
    // A hanging request must not hang the caller. (AbortSignal.timeout only takes whole milliseconds.)
    const requestTimeoutMs =
      options.requestTimeoutMs ?? Math.ceil(Math.max(deadline - performance.now(), REQUEST_GRACE_MS));
    let current: FetchTraceResult | undefined;
    let answered = false;
    try {
      current = await fetchTrace(jaegerUrl, traceId, {
        signal,
        fetch: options.fetch,
        timeoutMs: requestTimeoutMs,
      });
      answered = true;
    } catch (error) {
      signal?.throwIfAborted();
      result.lastError = error;
      result.lastErrorPoll = result.polls;
      // Unknown count: stability has to be proven again from scratch.
      result.lastCount = -1;
      result.sameCountPolls = 0;
      result.completedAt = undefined;
      if (options.onError === 'stop') return done();
    }
    if (answered) {
      if (current) result.last = current;
      const count = current?.trace.spans.length ?? 0;
      result.sameCountPolls = count === result.lastCount ? result.sameCountPolls + 1 : 1;
      result.lastCount = count;
      const complete = current !== undefined && isComplete(current.trace);
      if (!complete) result.completedAt = undefined;
      else if (result.sameCountPolls === 1 || result.completedAt === undefined)
        result.completedAt = Date.now();
      if (complete && result.sameCountPolls >= stablePolls) {
        result.complete = true;
        return done();
      }
    }

    const left = deadline - performance.now();
    if (left <= 0) {
      result.completedAt = undefined;
      return done();
    }
    await sleep(Math.min(intervalMs, left), signal);
  }
}

/** setTimeout as a promise that rejects with `signal`'s reason when it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

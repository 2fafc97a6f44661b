/**
 * Jaeger v2's query API (`/api/v3`, OTLP/JSON) as a {@link TraceSource}: the
 * source shipped. Used by the assertions and by the API's trace route alike.
 * Plain ECMAScript plus `fetch`: no `node:` module, no Playwright, no
 * OpenTelemetry (a caller that must not trace these requests passes its own
 * `fetch`).
 */
import { parseOtlpSpans, traceFromSpans } from './otlp-json.ts';
import type { Trace, TraceSpan } from './model.ts';
import type { FetchTraceResult, SourceRequestOptions, SpanSearch, TraceSource } from './source.ts';

export interface JaegerRequestOptions extends SourceRequestOptions {
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

/** Jaeger UI's page of a trace. */
export function jaegerTraceLink(jaegerUrl: string, traceId: string): string {
  return `${jaegerUrl.replace(/\/+$/, '')}/trace/${traceId}`;
}

/**
 * GETs `${jaegerUrl}/api/v3/traces/${traceId}` and reads it.
 *
 * Returns `undefined` while the trace is not there yet (404, or a 200 without
 * spans). Throws {@link JaegerUnreachableError} when there is no answer (in
 * `timeoutMs`) or any other non-2xx status (with the status and a body
 * excerpt), and {@link JaegerAnswerError} on a body that is not an OTLP trace
 * or is another trace. The returned trace carries its Jaeger UI link, which
 * failure messages print.
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
    trace = traceFromSpans(spans, { link: jaegerTraceLink(base, id) });
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
  { service, since, until = new Date(), limit = 1000, ...options }: SpanSearch & JaegerRequestOptions,
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

/**
 * Jaeger at `jaegerUrl` (its UI/query base URL, e.g.
 * `http://127.0.0.1:16686`) as a {@link TraceSource}: {@link fetchTrace},
 * {@link searchSpans} and the UI's trace page as the link.
 */
export function jaegerSource(
  jaegerUrl: string,
  options: Pick<JaegerRequestOptions, 'fetch'> = {},
): TraceSource {
  const base = jaegerUrl.replace(/\/+$/, '');
  return {
    name: `Jaeger at ${base}`,
    fetchTrace: (traceId, request) => fetchTrace(base, traceId, { ...request, ...options }),
    searchSpans: (search, request) => searchSpans(base, { ...search, ...request, ...options }),
    traceLink: (traceId) => jaegerTraceLink(base, traceId),
  };
}

/** A trace source, or Jaeger's URL (and the fetch to reach it) as shorthand for {@link jaegerSource}. */
export type SourceOption =
  | { source: TraceSource; jaegerUrl?: never; fetch?: never }
  | { jaegerUrl: string; fetch?: typeof fetch; source?: never };

/** The source a {@link SourceOption} names. */
export function sourceOf(option: SourceOption): TraceSource {
  if (option.source !== undefined) return option.source;
  return jaegerSource(option.jaegerUrl, option.fetch === undefined ? {} : { fetch: option.fetch });
}

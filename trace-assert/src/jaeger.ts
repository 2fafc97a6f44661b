/**
 * Reading traces back from Jaeger v2 and waiting until they are complete.
 *
 * Spans arrive in Jaeger in pieces: the browser batches and flushes its spans
 * on its own schedule, the API flushes its own, and the collector batches
 * both. "The trace exists" is therefore not "the trace is complete"; we poll
 * until every expected span is there AND the span count has stopped moving.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { parseOtlpSpans, traceFromSpans } from './model.ts';
import type { Trace, TraceSpan } from './model.ts';
import { describeSelector, findSpans, formatCandidates } from './selector.ts';
import type { SpanSelector } from './selector.ts';
import { renderWaterfall } from './waterfall.ts';

/** A fetched trace with the raw JSON Jaeger answered (kept for test attachments). */
export interface FetchTraceResult {
  trace: Trace;
  raw: unknown;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * GETs `${jaegerUrl}/api/v3/traces/${traceId}` and parses it.
 *
 * Returns `undefined` while the trace is not there yet (404, or a 200 without
 * spans); throws on any other non-2xx status (with the status and a body
 * excerpt), on a body that is not OTLP JSON, and when Jaeger answers with a
 * different trace id. The returned trace carries `jaegerUrl` so failure
 * messages can link to it.
 */
export async function fetchTrace(
  jaegerUrl: string,
  traceId: string,
  options: { signal?: AbortSignal } = {},
): Promise<FetchTraceResult | undefined> {
  const id = traceId.toLowerCase();
  if (!TRACE_ID.test(id))
    throw new Error(`fetchTrace: trace id must be 32 hex digits, got ${JSON.stringify(traceId)}`);
  const base = jaegerUrl.replace(/\/+$/, '');
  const url = `${base}/api/v3/traces/${id}`;
  const init: RequestInit = { headers: { accept: 'application/json' } };
  if (options.signal) init.signal = options.signal;
  const response = await fetch(url, init);
  const body = await response.text();
  if (response.status === 404) return undefined;
  if (!response.ok) {
    throw new Error(`Jaeger GET ${url} answered ${response.status} ${response.statusText}: ${excerpt(body)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new Error(
      `Jaeger GET ${url} answered ${response.status} with a body that is not JSON: ${excerpt(body)}`,
    );
  }
  const spans = parseOtlpSpans(raw);
  if (spans.length === 0) return undefined;
  const trace = traceFromSpans(spans, { jaegerUrl: base });
  if (trace.traceId !== id) throw new Error(`Jaeger GET ${url} answered with trace ${trace.traceId}`);
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
  }: { service: string; since: Date; until?: Date; limit?: number },
): Promise<TraceSpan[]> {
  const query = new URLSearchParams({
    'query.service_name': service,
    'query.start_time_min': since.toISOString(),
    'query.start_time_max': until.toISOString(),
    'query.num_traces': String(limit),
  });
  const url = `${jaegerUrl.replace(/\/+$/, '')}/api/v3/traces?${query}`;
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await response.text();
  // Jaeger answers 404 when no trace matches.
  if (response.status === 404) return [];
  if (!response.ok) {
    throw new Error(`Jaeger GET ${url} answered ${response.status} ${response.statusText}: ${excerpt(body)}`);
  }
  return parseOtlpSpans(JSON.parse(body));
}

/** How long the last poll, started at the deadline, may take to answer. */
const REQUEST_GRACE_MS = 1000;

/** A selector that must match at least once, or at least `times` times. */
export type ExpectedSpan = SpanSelector | { selector: SpanSelector; times: number };

export interface WaitForTraceOptions {
  /** Jaeger UI/query base URL, e.g. `http://127.0.0.1:16686`. */
  jaegerUrl: string;
  traceId: string;
  /** Every entry must be matched (at least once, or at least `times` times) before the trace counts as complete. */
  expect: readonly ExpectedSpan[];
  /** The trace must have at least this many spans. */
  minSpans?: number;
  /** Give up after this long. Default 10000. */
  timeoutMs?: number;
  /** Pause between polls. Default 100. */
  intervalMs?: number;
  /** This many consecutive polls must see the same span count. Default 2 (1 disables the check). */
  stablePolls?: number;
  /** Aborts the wait (the abort reason is thrown). */
  signal?: AbortSignal;
}

export interface WaitForTraceResult {
  trace: Trace;
  raw: unknown;
  /** Number of requests made to Jaeger. */
  polls: number;
  waitedMs: number;
  /**
   * Epoch ms of the first poll that already saw the final trace (every
   * expected span, the final span count): when the trace became complete, as
   * opposed to when its stability was confirmed one or more polls later.
   */
  completedAt: number;
}

/** Normalises an {@link ExpectedSpan} entry. */
export function expectedEntry(entry: ExpectedSpan): { selector: SpanSelector; times: number } {
  return 'selector' in entry ? entry : { selector: entry, times: 1 };
}

/** Thrown by {@link waitForTrace} at its deadline; the message says what was expected and what was found. */
export class TraceTimeoutError extends Error {
  readonly traceId: string;
  readonly polls: number;
  readonly waitedMs: number;
  /** Described selectors that were still unmatched (or matched too few times). */
  readonly missing: string[];
  /** The last trace seen, if any, and its raw JSON. */
  readonly trace: Trace | undefined;
  readonly raw: unknown;
  readonly lastError: unknown;

  constructor(details: {
    message: string;
    traceId: string;
    polls: number;
    waitedMs: number;
    missing: string[];
    last: FetchTraceResult | undefined;
    lastError: unknown;
  }) {
    super(details.message);
    this.name = 'TraceTimeoutError';
    this.traceId = details.traceId;
    this.polls = details.polls;
    this.waitedMs = details.waitedMs;
    this.missing = details.missing;
    this.trace = details.last?.trace;
    this.raw = details.last?.raw;
    this.lastError = details.lastError;
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici's "fetch failed" hides the useful part (ECONNREFUSED…) in `cause`.
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

/**
 * Polls Jaeger until trace `traceId` is complete: every `expect` selector is
 * matched (at least `times` times), the trace has at least `minSpans` spans,
 * and its span count was the same for `stablePolls` consecutive polls.
 *
 * Errors while polling (Jaeger not up yet, a 500…) are remembered and polling
 * goes on. A poll that starts just before the deadline may take up to one more
 * second to answer before it is abandoned. At the deadline it throws
 * {@link TraceTimeoutError} with the trace id, the expected selectors (marking
 * the missing ones), the waterfall of what was found (or "no trace yet"), the
 * number of polls, the time waited and the last error. Aborting `signal`
 * rejects with the signal's reason.
 */
export async function waitForTrace(options: WaitForTraceOptions): Promise<WaitForTraceResult> {
  const { jaegerUrl, traceId, signal } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const stablePolls = Math.max(1, options.stablePolls ?? 2);
  const minSpans = options.minSpans ?? 0;
  const expected = options.expect.map(expectedEntry);

  const started = performance.now();
  const deadline = started + timeoutMs;
  let polls = 0;
  let last: FetchTraceResult | undefined;
  let lastError: unknown;
  let lastErrorPoll = 0;
  let lastCount = -1;
  let sameCountPolls = 0;
  // When the current span count was first seen with every expected span present.
  let completeSince: number | undefined;

  for (;;) {
    polls += 1;
    signal?.throwIfAborted();
    // A hanging request must not hang the test, but the poll made right at the
    // deadline still deserves a fair chance to answer: hence the grace period.
    // (AbortSignal.timeout only takes whole milliseconds.)
    const requestTimeoutMs = Math.ceil(Math.max(deadline - performance.now(), REQUEST_GRACE_MS));
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    let result: FetchTraceResult | undefined;
    let ok = false;
    try {
      result = await fetchTrace(jaegerUrl, traceId, {
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      ok = true;
    } catch (error) {
      signal?.throwIfAborted();
      lastError = timeout.aborted ? new Error(`no answer within ${requestTimeoutMs} ms`) : error;
      lastErrorPoll = polls;
    }

    if (ok) {
      if (result) last = result;
      const count = result?.trace.spans.length ?? 0;
      sameCountPolls = count === lastCount ? sameCountPolls + 1 : 1;
      lastCount = count;
    } else {
      // Unknown count: stability has to be proven again from scratch.
      sameCountPolls = 0;
      lastCount = -1;
    }

    const current = ok ? result : undefined;
    const counts = expected.map((e) => (current ? findSpans(current.trace, e.selector).length : 0));
    const allFound = expected.every((e, i) => (counts[i] ?? 0) >= e.times);
    const spanCount = current?.trace.spans.length ?? 0;
    const complete = current !== undefined && allFound && spanCount >= minSpans;
    if (!complete) completeSince = undefined;
    else if (sameCountPolls === 1 || completeSince === undefined) completeSince = Date.now();
    if (current && complete && sameCountPolls >= stablePolls) {
      return {
        trace: current.trace,
        raw: current.raw,
        polls,
        waitedMs: Math.round(performance.now() - started),
        completedAt: completeSince ?? Date.now(),
      };
    }

    const left = deadline - performance.now();
    if (left <= 0) {
      const waitedMs = Math.round(performance.now() - started);
      // Report against the last trace seen, even if the final poll failed.
      const shown = last;
      const shownCounts = expected.map((e) => (shown ? findSpans(shown.trace, e.selector).length : 0));
      const missing = expected
        .filter((e, i) => (shownCounts[i] ?? 0) < e.times)
        .map((e) => describeSelector(e.selector));
      const lines: string[] = [
        `Trace ${traceId} was not complete after ${waitedMs} ms (${polls} poll${polls === 1 ? '' : 's'} of ${jaegerUrl}, timeout ${timeoutMs} ms).`,
        `Expected (each selector at least once, span count unchanged for ${stablePolls} consecutive polls${minSpans > 0 ? `, at least ${minSpans} spans` : ''}):`,
      ];
      expected.forEach((e, i) => {
        const n = shownCounts[i] ?? 0;
        const need = e.times === 1 ? '' : ` (need ${e.times})`;
        const state = n >= e.times ? `found ${n}x` : `MISSING (found ${n}x${need})`;
        lines.push(`  ${state.padEnd(11)}  ${describeSelector(e.selector)}`);
        if (n < e.times && shown) {
          lines.push(
            '    closest spans:',
            formatCandidates(shown.trace.spans, e.selector, 2).replace(/^/gm, '    '),
          );
        }
      });
      if (expected.length === 0) lines.push('  (no selectors)');
      if (missing.length > 0) lines.push(`Missing: ${missing.join('; ')}`);
      if (shown && shown.trace.spans.length < minSpans) {
        lines.push(`Span count: ${shown.trace.spans.length}, expected at least ${minSpans}.`);
      } else if (shown && missing.length === 0) {
        lines.push(
          sameCountPolls === 0
            ? `Span count not confirmed stable: the last poll failed.`
            : `Span count still changing: ${lastCount} spans seen by only ${sameCountPolls} consecutive poll(s).`,
        );
      }
      lines.push('Found:');
      lines.push(
        shown
          ? renderWaterfall(shown.trace, { jaegerUrl })
          : '  no trace yet (Jaeger answered 404 or no spans)',
      );
      if (lastError !== undefined) lines.push(`Last error (poll ${lastErrorPoll}): ${errorText(lastError)}`);
      throw new TraceTimeoutError({
        message: lines.join('\n'),
        traceId,
        polls,
        waitedMs,
        missing,
        last: shown,
        lastError,
      });
    }
    try {
      await delay(Math.min(intervalMs, left), undefined, signal ? { signal } : undefined);
    } catch (error) {
      // Surface the caller's abort reason rather than the timer's AbortError.
      signal?.throwIfAborted();
      throw error;
    }
  }
}

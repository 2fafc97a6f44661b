/**
 * Where traces are read from: any backend that can answer "this trace, as it
 * is now" plugs in as a {@link TraceSource}. The assertions (waitForTrace,
 * the fixtures) only ever talk to this interface; jaeger.ts implements it for
 * Jaeger's query API, the one shipped.
 */
import type { Trace, TraceSpan } from './model.ts';

/** A fetched trace with the raw document the backend answered (kept for test attachments). */
export interface FetchTraceResult {
  trace: Trace;
  raw: unknown;
}

/** What every request to a source may be given. */
export interface SourceRequestOptions {
  /** Aborts the request: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Gives up on an answer after this long (an error). Default: no limit. */
  timeoutMs?: number;
}

/** Which spans {@link TraceSource.searchSpans} returns: those of `service`'s traces started in [`since`, `until`]. */
export interface SpanSearch {
  service: string;
  since: Date;
  /** Default: now. */
  until?: Date;
  /** At most this many traces. */
  limit?: number;
}

export interface TraceSource {
  /** What the source is, for messages: e.g. `Jaeger at http://127.0.0.1:16686`. */
  readonly name: string;
  /**
   * One read of trace `traceId` (32 lowercase hex digits). Resolves
   * `undefined` while the backend does not hold the trace (yet); rejects when
   * the backend gives no usable answer. Polling, and deciding when a trace is
   * complete, is the caller's business (waitForTrace).
   */
  fetchTrace(traceId: string, options?: SourceRequestOptions): Promise<FetchTraceResult | undefined>;
  /** Every span of the traces the search finds. Optional: a backend without search leaves it out. */
  searchSpans?(search: SpanSearch, options?: SourceRequestOptions): Promise<TraceSpan[]>;
  /** Where a person can open the trace (the backend's UI), for failure messages and reports. */
  traceLink?(traceId: string): string;
}

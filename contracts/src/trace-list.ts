/**
 * `GET /traces?service=…&limit=…&lookback_minutes=…`: the recent traces
 * Jaeger holds, one summary each, for the page's trace list. The API
 * validates the query and serializes its answer with these schemas; the page
 * checks what it receives against {@link TraceListSchema}.
 */
import { Type, type Static } from 'typebox';
import { TRACE_ID_PATTERN } from './ids.ts';

export const DEFAULT_TRACE_LIST_LIMIT = 20;
export const MAX_TRACE_LIST_LIMIT = 100;
/** Jaeger UI's default search window ("Last Hour"). */
export const DEFAULT_LOOKBACK_MINUTES = 60;
/** A week: further back, a search of Badger's index costs more than a demo's list is worth. */
export const MAX_LOOKBACK_MINUTES = 7 * 24 * 60;
/** Longest service name the filter accepts. */
export const MAX_SERVICE_NAME_LENGTH = 128;

export const TraceListQuerySchema = Type.Object({
  /** Only traces with a span of this service (Jaeger's `query.service_name`); every service when absent. */
  service: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_SERVICE_NAME_LENGTH })),
  /** At most this many traces, the newest first. */
  limit: Type.Integer({ minimum: 1, maximum: MAX_TRACE_LIST_LIMIT, default: DEFAULT_TRACE_LIST_LIMIT }),
  /** Traces that started in the last this many minutes. */
  lookback_minutes: Type.Integer({
    minimum: 1,
    maximum: MAX_LOOKBACK_MINUTES,
    default: DEFAULT_LOOKBACK_MINUTES,
  }),
});
export type TraceListQuery = Static<typeof TraceListQuerySchema>;

/** One trace in a line: what the list shows before the trace is opened. */
export const TraceSummarySchema = Type.Object({
  traceId: Type.String({ pattern: TRACE_ID_PATTERN }),
  /** The root span's service (`service.name`). */
  service: Type.String(),
  /** The root span's name. */
  rootName: Type.String(),
  /** Epoch milliseconds (fractional) of the earliest span start. */
  startUnixMs: Type.Number(),
  /** From the earliest start to the latest end. */
  durationMs: Type.Number({ minimum: 0 }),
  spanCount: Type.Integer({ minimum: 1 }),
  /** Spans with status ERROR. */
  errorCount: Type.Integer({ minimum: 0 }),
  /** Every service with a span in the trace, the root's first. */
  services: Type.Array(Type.String(), { minItems: 1 }),
  /**
   * One tree: exactly one root and every parent present. False while spans
   * are still on their way (or were lost): the root shown is then the
   * earliest span whose parent Jaeger does not hold.
   */
  connected: Type.Boolean(),
});
export type TraceSummary = Static<typeof TraceSummarySchema>;

/** 200 answer of `GET /traces`. */
export const TraceListSchema = Type.Object({
  /** Every service Jaeger holds spans of, sorted: the choices of the page's filter. */
  services: Type.Array(Type.String()),
  /** Newest first, at most `limit`. */
  traces: Type.Array(TraceSummarySchema),
});
export type TraceList = Static<typeof TraceListSchema>;

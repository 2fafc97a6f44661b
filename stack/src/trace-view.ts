/**
 * The contract between the API's untraced helper routes and the page that
 * draws them: `GET /traces/:traceId` (one trace from Jaeger, flattened for the
 * in-page waterfall) and `GET /status` (is the telemetry path reachable?).
 * Types only, so the web app can `import type` them without bundling anything.
 */

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];

export interface TraceSpanEvent {
  name: string;
  /** Epoch milliseconds (fractional). */
  timeUnixMs: number;
  attributes: Record<string, AttributeValue>;
}

export interface TraceSpanView {
  spanId: string;
  /** null for a root span; a parent id that is not in `spans` means the parent is missing. */
  parentSpanId: string | null;
  /** resource `service.name` */
  service: string;
  name: string;
  kind: SpanKindName;
  /** Epoch milliseconds (fractional), on the clock of the process that made the span. */
  startUnixMs: number;
  durationMs: number;
  status: { code: 'unset' | 'ok' | 'error'; message?: string };
  attributes: Record<string, AttributeValue>;
  events: TraceSpanEvent[];
}

/** 200 answer of `GET /traces/:traceId`. */
export interface TraceView {
  traceId: string;
  /**
   * True when the trace has exactly one root, every parent id is present and
   * the span count stayed the same over two polls of Jaeger; false when the
   * route's wait ran out first (the spans found so far are still returned).
   */
  complete: boolean;
  /** Sorted by start time. */
  spans: TraceSpanView[];
}

export interface ReachabilityView {
  reachable: boolean;
  /** The health URL that was asked. */
  url: string;
}

/**
 * How traces are kept: every one (`single`), or tail-sampled by the gateway
 * Collectors (`gateway`, STACK_TOPOLOGY): errors, traces slower than
 * `latencyMs` and `percent` % of the rest.
 */
export type SamplingView =
  { topology: 'single' } | { topology: 'gateway'; percent: number; latencyMs: number };

/** 200 answer of `GET /status`. */
export interface StackStatusView {
  collector: ReachabilityView;
  jaeger: ReachabilityView;
  inventory: ReachabilityView;
  sampling: SamplingView;
}

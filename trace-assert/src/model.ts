/**
 * The span/trace model that the assertions, the waterfall and the API's trace
 * route all work on. A trace source (source.ts; Jaeger's is jaeger.ts) builds
 * it, from OTLP/JSON through otlp-json.ts (the one reader of OTLP/JSON). No
 * I/O and no Playwright here.
 */

/** An attribute value, decoded from an OTLP `AnyValue`. `null` is an empty AnyValue. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | AttributeMap;
/** A map of attribute values (OTLP `kvlistValue`, or a span's attributes). */
export interface AttributeMap {
  [key: string]: AttributeValue;
}

export type SpanKind = 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'UNSPECIFIED';
export type StatusCode = 'UNSET' | 'OK' | 'ERROR';

export interface SpanEvent {
  name: string;
  /** Epoch milliseconds, with sub-millisecond precision. */
  timeMs: number;
  attributes: Record<string, AttributeValue>;
}

export interface TraceSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** 16 lowercase hex digits; absent for a root span. */
  parentSpanId?: string;
  /** The resource attribute `service.name` (`unknown_service` when missing, like the SDKs do). */
  service: string;
  name: string;
  kind: SpanKind;
  /** Epoch milliseconds, with sub-millisecond precision. */
  startMs: number;
  /** Never negative: the reader rejects a span that ends before it starts. */
  durationMs: number;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
  /** Instrumentation scope name, e.g. `@fastify/otel`. */
  scope?: string;
  status: { code: StatusCode; message?: string };
  events: SpanEvent[];
}

/** Sorts spans by start time; ties keep their input order (Array#sort is stable). */
function byStart(a: TraceSpan, b: TraceSpan): number {
  return a.startMs - b.startMs;
}

/**
 * One trace: its spans plus the parent/child index the assertions need.
 * Immutable once built.
 */
export class Trace {
  readonly traceId: string;
  /** All spans, sorted by start time; a span stored twice (an exporter retry) is kept once, its first copy. */
  readonly spans: readonly TraceSpan[];
  /** Where a person can open the trace (e.g. its page in Jaeger's UI); failure messages print it when set. */
  readonly link?: string;
  readonly #byId = new Map<string, TraceSpan>();
  readonly #children = new Map<string, TraceSpan[]>();

  constructor(traceId: string, spans: readonly TraceSpan[], options: { link?: string } = {}) {
    this.traceId = traceId;
    for (const span of spans) if (!this.#byId.has(span.spanId)) this.#byId.set(span.spanId, span);
    this.spans = [...this.#byId.values()].sort(byStart);
    if (options.link !== undefined) this.link = options.link;
    for (const span of this.spans) {
      if (span.parentSpanId !== undefined) {
        const siblings = this.#children.get(span.parentSpanId) ?? [];
        siblings.push(span);
        this.#children.set(span.parentSpanId, siblings);
      }
    }
  }

  /** The span with this id, if it is in the trace. */
  span(spanId: string): TraceSpan | undefined {
    return this.#byId.get(spanId.toLowerCase());
  }

  /** Direct children of `spanId`, sorted by start time. */
  children(spanId: string): TraceSpan[] {
    return [...(this.#children.get(spanId.toLowerCase()) ?? [])];
  }

  /** Spans without a parent id, sorted by start time. A connected trace has exactly one. */
  roots(): TraceSpan[] {
    return this.spans.filter((s) => s.parentSpanId === undefined);
  }

  /**
   * Spans whose parent id is set but not present in the trace: either the
   * parent was not exported (yet), or context propagation joined the wrong trace.
   */
  orphans(): TraceSpan[] {
    return this.spans.filter((s) => s.parentSpanId !== undefined && !this.#byId.has(s.parentSpanId));
  }

  /** The chain of ancestors of `span` present in the trace, nearest first. Stops on cycles. */
  ancestors(span: TraceSpan): TraceSpan[] {
    const chain: TraceSpan[] = [];
    const seen = new Set<string>([span.spanId]);
    let parentId = span.parentSpanId;
    while (parentId !== undefined && !seen.has(parentId)) {
      const parent = this.#byId.get(parentId);
      if (!parent) break;
      chain.push(parent);
      seen.add(parentId);
      parentId = parent.parentSpanId;
    }
    return chain;
  }

  /**
   * Spans that do not hang below the one root: orphans, their descendants and
   * spans in a parent cycle; every span when there is not exactly one root.
   */
  detached(): TraceSpan[] {
    const roots = this.roots();
    const root = roots.length === 1 ? roots[0] : undefined;
    return this.spans.filter((s) => s !== root && (root === undefined || this.ancestors(s).at(-1) !== root));
  }

  /** One tree: exactly one root, and every other span below it (so no orphans). */
  isConnected(): boolean {
    return this.roots().length === 1 && this.detached().length === 0;
  }

  /**
   * Whether every span hangs below `parentSpanId`, a span that may be kept
   * elsewhere (the span of the test or page that started the actions, not
   * exported yet): isConnected() when that span is in the trace; otherwise
   * the topmost span of every chain must be its child. A root of its own, an
   * orphan of another missing span, or a cycle fails.
   */
  isConnectedBelow(parentSpanId: string): boolean {
    const id = parentSpanId.toLowerCase();
    if (this.#byId.has(id)) return this.isConnected();
    return (
      this.spans.length > 0 && this.spans.every((s) => (this.ancestors(s).at(-1) ?? s).parentSpanId === id)
    );
  }
}

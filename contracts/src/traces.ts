/**
 * `GET /traces/:traceId?wait_ms=N`: one trace from Jaeger, flattened for the
 * page's in-page waterfall. The API serializes its answer with
 * {@link TraceViewSchema}; the page checks what it receives against the same
 * schema before drawing it.
 */
import { Type, type Static } from 'typebox';
import { SPAN_ID_LIST_PATTERN, SPAN_ID_PATTERN, TRACE_ID_PATTERN } from './ids.ts';

export const TraceParamsSchema = Type.Object({
  traceId: Type.String({ pattern: TRACE_ID_PATTERN, description: 'Trace id, 32 lowercase hex digits.' }),
});
export type TraceParams = Static<typeof TraceParamsSchema>;

export const MAX_WAIT_MS = 15_000;
export const DEFAULT_WAIT_MS = 5_000;

export const TraceQuerySchema = Type.Object({
  wait_ms: Type.Integer({
    minimum: 0,
    maximum: MAX_WAIT_MS,
    default: DEFAULT_WAIT_MS,
    description: 'How long to wait for the trace to be complete in Jaeger.',
  }),
  parent_span_id: Type.Optional(
    Type.String({
      pattern: SPAN_ID_PATTERN,
      description:
        'A span the trace hangs below that Jaeger may not have (yet), e.g. the test that drove the page: the trace is complete when every span is below it.',
    }),
  ),
  span_ids: Type.Optional(
    Type.String({
      pattern: SPAN_ID_LIST_PATTERN,
      description:
        "Spans the caller knows the trace holds, comma-separated (a page: its user action, each fetch span it made, each SERVER span the API named in Server-Timing): the trace is not complete before Jaeger has every one. With parent_span_id, the first is the action's top span, and the answer is that action's branch only.",
    }),
  ),
});
export type TraceQuery = Static<typeof TraceQuerySchema>;

export const SpanKindNameSchema = Type.Enum(['internal', 'server', 'client', 'producer', 'consumer']);
export type SpanKindName = Static<typeof SpanKindNameSchema>;

/** The OpenTelemetry attribute types: a scalar, or an array of one scalar type. */
export const AttributeValueSchema = Type.Union([
  Type.String(),
  Type.Number(),
  Type.Boolean(),
  Type.Array(Type.String()),
  Type.Array(Type.Number()),
  Type.Array(Type.Boolean()),
]);
export type AttributeValue = Static<typeof AttributeValueSchema>;

const AttributesSchema = Type.Record(Type.String(), AttributeValueSchema);

export const TraceSpanEventSchema = Type.Object({
  name: Type.String(),
  /** Epoch milliseconds (fractional). */
  timeUnixMs: Type.Number(),
  attributes: AttributesSchema,
});
export type TraceSpanEvent = Static<typeof TraceSpanEventSchema>;

export const TraceSpanViewSchema = Type.Object({
  spanId: Type.String({ minLength: 1 }),
  /** null for a root span; a parent id that is not in `spans` means the parent is missing. */
  parentSpanId: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  /** The resource's `service.name`. */
  service: Type.String(),
  name: Type.String(),
  kind: SpanKindNameSchema,
  /** Epoch milliseconds (fractional), on the clock of the process that made the span. */
  startUnixMs: Type.Number(),
  durationMs: Type.Number({ minimum: 0 }),
  status: Type.Object({
    code: Type.Enum(['unset', 'ok', 'error']),
    message: Type.Optional(Type.String()),
  }),
  attributes: AttributesSchema,
  events: Type.Array(TraceSpanEventSchema),
});
export type TraceSpanView = Static<typeof TraceSpanViewSchema>;

/** 200 answer of `GET /traces/:traceId`. */
export const TraceViewSchema = Type.Object({
  traceId: Type.String({ pattern: TRACE_ID_PATTERN }),
  /**
   * True when the trace is one tree (one root, every parent present) and its
   * span count stayed the same over two polls of Jaeger; false when the
   * route's wait ran out first (the spans found so far are still returned).
   */
  complete: Type.Boolean(),
  /** Sorted by start time. */
  spans: Type.Array(TraceSpanViewSchema),
});
export type TraceView = Static<typeof TraceViewSchema>;

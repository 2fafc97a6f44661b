/**
 * The page's view of a trace (the `GET /traces/:traceId` contract) made from
 * the trace model that trace-assert reads from Jaeger: lowercase kinds and
 * status codes, `null` for a root's parent, and attribute values narrowed to
 * the OpenTelemetry types the contract allows. Pure.
 */
import type { AttributeValue, SpanKindName, TraceSpanView, TraceView } from '@tracing-demo/contracts';
import type {
  AttributeValue as AnyValue,
  SpanKind,
  Trace,
  TraceSpan,
} from '@tracing-demo/trace-assert/model';

const KINDS: Record<SpanKind, SpanKindName> = {
  // SPAN_KIND_UNSPECIFIED: the SDKs treat it as internal.
  UNSPECIFIED: 'internal',
  INTERNAL: 'internal',
  SERVER: 'server',
  CLIENT: 'client',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};

type Scalar = string | number | boolean;

/** JSON cannot carry NaN or ±Infinity: they stay text, as Jaeger shows them. */
function scalar(value: Scalar): Scalar {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

function isScalar(value: AnyValue): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * A model attribute value as the contract's, or undefined for an empty one
 * (left out). An array of one scalar type stays an array; a mixed one becomes
 * strings, a nested array or map inside it JSON text; a key/value list
 * becomes its JSON text.
 */
export function viewAttributeValue(value: AnyValue): AttributeValue | undefined {
  if (value === null) return undefined;
  if (isScalar(value)) return scalar(value);
  if (!Array.isArray(value)) return JSON.stringify(value);
  const items = value.flatMap((item): Scalar[] =>
    item === null ? [] : isScalar(item) ? [scalar(item)] : [JSON.stringify(item)],
  );
  const types = new Set(items.map((item) => typeof item));
  return types.size <= 1 ? (items as string[] | number[] | boolean[]) : items.map(String);
}

function viewAttributes(attributes: Record<string, AnyValue>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    const view = viewAttributeValue(value);
    if (view !== undefined) out[key] = view;
  }
  return out;
}

export function spanView(span: TraceSpan): TraceSpanView {
  const code = span.status.code.toLowerCase() as TraceSpanView['status']['code'];
  return {
    spanId: span.spanId,
    parentSpanId: span.parentSpanId ?? null,
    service: span.service,
    name: span.name,
    kind: KINDS[span.kind],
    startUnixMs: span.startMs,
    durationMs: span.durationMs,
    status: span.status.message === undefined ? { code } : { code, message: span.status.message },
    attributes: viewAttributes(span.attributes),
    events: span.events.map((event) => ({
      name: event.name,
      timeUnixMs: event.timeMs,
      attributes: viewAttributes(event.attributes),
    })),
  };
}

/** The answer of `GET /traces/:traceId`: spans sorted by start, each stored once (the model's rules). */
export function traceView(trace: Trace, complete: boolean): TraceView {
  return { traceId: trace.traceId, complete, spans: trace.spans.map(spanView) };
}

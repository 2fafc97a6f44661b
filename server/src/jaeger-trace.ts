/**
 * Jaeger v2's `GET /api/v3/traces/{traceId}` answer (OTLP/JSON wrapped in
 * `{"result": …}`) flattened into the page's `TraceSpanView`s, and the check
 * that a trace is connected. Pure functions, no I/O.
 *
 * Tolerant of encodings, as trace-assert's parser is: OTLP/JSON (what Jaeger
 * 2.x answers) has hex ids, numeric enums and int64 as strings; the protobuf
 * JSON mapping has base64 ids and enum names. Strict about structure: a body
 * that is not an OTLP trace throws {@link JaegerPayloadError}, naming the path.
 */
import type {
  AttributeValue,
  SpanKindName,
  TraceSpanEvent,
  TraceSpanView,
} from '@tracing-demo/stack/trace-view';

/** The body is JSON but not an OTLP trace (or a span in it is unusable). */
export class JaegerPayloadError extends Error {
  override name = 'JaegerPayloadError';
  constructor(path: string, problem: string) {
    super(`Unexpected Jaeger trace JSON: ${path} ${problem}`);
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, path: string): Json {
  if (!isObject(value)) throw new JaegerPayloadError(path, 'must be an object');
  return value;
}

/** OTLP/JSON omits empty repeated fields: missing means empty. */
function arrayAt(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new JaegerPayloadError(path, 'must be an array');
  return value;
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * A trace or span id, hex (OTLP/JSON) or base64 (protobuf JSON), as lowercase
 * hex. Lengths never collide: 8 bytes are 16 hex or 11–12 base64 characters.
 */
export function decodeId(value: unknown, bytes: 8 | 16, path: string): string {
  if (typeof value !== 'string') throw new JaegerPayloadError(path, 'must be a string');
  if (value.length === bytes * 2 && HEX.test(value)) return value.toLowerCase();
  if (BASE64.test(value)) {
    const decoded = Buffer.from(value, /[-_]/.test(value) ? 'base64url' : 'base64');
    if (decoded.length === bytes) return decoded.toString('hex');
  }
  throw new JaegerPayloadError(path, `must be ${bytes * 2} hex digits or base64 of ${bytes} bytes`);
}

/** Epoch nanoseconds (a string in OTLP/JSON; a number tolerated). */
function nanosAt(value: unknown, path: string): bigint {
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.round(value));
  throw new JaegerPayloadError(path, 'must be unsigned nanoseconds since epoch');
}

/** Epoch ns → fractional epoch ms, to the microsecond (what a double holds for today's dates). */
function nanosToMs(ns: bigint): number {
  return Number(ns / 1000n) / 1000;
}

const KINDS: Record<string, SpanKindName> = {
  // 0 is SPAN_KIND_UNSPECIFIED, which the SDKs treat as internal.
  0: 'internal',
  1: 'internal',
  2: 'server',
  3: 'client',
  4: 'producer',
  5: 'consumer',
  UNSPECIFIED: 'internal',
  INTERNAL: 'internal',
  SERVER: 'server',
  CLIENT: 'client',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};

/** OTLP kind as a number (OTLP/JSON) or a name, with or without `SPAN_KIND_`. Unknown → internal. */
export function spanKind(value: unknown): SpanKindName {
  const key = typeof value === 'string' ? value.replace(/^SPAN_KIND_/, '') : String(value);
  return Object.hasOwn(KINDS, key) ? KINDS[key]! : 'internal';
}

const STATUS_CODES: Record<string, TraceSpanView['status']['code']> = {
  0: 'unset',
  1: 'ok',
  2: 'error',
  UNSET: 'unset',
  OK: 'ok',
  ERROR: 'error',
};

/** OTLP status code as a number or a name, with or without `STATUS_CODE_`. Unknown → unset. */
export function statusCode(value: unknown): TraceSpanView['status']['code'] {
  const key = typeof value === 'string' ? value.replace(/^STATUS_CODE_/, '') : String(value);
  return Object.hasOwn(STATUS_CODES, key) ? STATUS_CODES[key]! : 'unset';
}

type Scalar = string | number | boolean;

/** An OTLP AnyValue's scalar, or undefined for an empty one. Nested maps become JSON text. */
function scalarOf(value: unknown): Scalar | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  if ('intValue' in value) {
    // int64 is a string in OTLP/JSON; beyond 2^53 it loses precision, which nobody here compares.
    const n = Number(value.intValue);
    return Number.isFinite(n) ? n : String(value.intValue);
  }
  if ('doubleValue' in value) {
    const d = value.doubleValue;
    // Protobuf JSON writes NaN/Infinity as strings; JSON cannot carry them, so they stay text.
    if (typeof d === 'number') return d;
    const n = Number(d);
    return typeof d === 'string' && d.trim() !== '' && Number.isFinite(n) ? n : String(d);
  }
  // Bytes stay base64 text, as OTLP/JSON carries them (and Jaeger's UI shows them).
  if (typeof value.bytesValue === 'string') return value.bytesValue;
  if ('arrayValue' in value || 'kvlistValue' in value) return JSON.stringify(plainOf(value));
  return undefined;
}

/** Any AnyValue as plain JSON, for nested values the contract has no shape for. */
function plainOf(value: unknown): unknown {
  if (!isObject(value)) return null;
  if (isObject(value.arrayValue)) return arrayAt(value.arrayValue.values, 'arrayValue.values').map(plainOf);
  if (isObject(value.kvlistValue)) {
    return Object.fromEntries(
      arrayAt(value.kvlistValue.values, 'kvlistValue.values')
        .filter(isObject)
        .map((kv) => [String(kv.key), plainOf(kv.value)]),
    );
  }
  return scalarOf(value) ?? null;
}

/**
 * An OTLP AnyValue as the contract's `AttributeValue`, or undefined for an
 * empty AnyValue (the attribute is then left out). An array of one scalar type
 * stays an array; a mixed or nested array becomes an array of strings; a
 * key/value list becomes its JSON text.
 */
export function attributeValue(value: unknown): AttributeValue | undefined {
  if (isObject(value) && isObject(value.arrayValue)) {
    const items = arrayAt(value.arrayValue.values, 'arrayValue.values').map((item) =>
      isObject(item) && (isObject(item.arrayValue) || isObject(item.kvlistValue))
        ? JSON.stringify(plainOf(item))
        : scalarOf(item),
    );
    const present = items.filter((item): item is Scalar => item !== undefined);
    const types = new Set(present.map((item) => typeof item));
    if (types.size <= 1) return present as string[] | number[] | boolean[];
    return present.map(String);
  }
  return scalarOf(value);
}

/** A repeated OTLP KeyValue as a record; entries without a key or a value are dropped. */
export function attributesOf(value: unknown, path: string): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  arrayAt(value, path).forEach((item, i) => {
    const kv = objectAt(item, `${path}[${i}]`);
    if (typeof kv.key !== 'string') throw new JaegerPayloadError(`${path}[${i}].key`, 'must be a string');
    const v = attributeValue(kv.value);
    if (v !== undefined) out[kv.key] = v;
  });
  return out;
}

function spanOf(value: unknown, path: string, service: string): TraceSpanView {
  const s = objectAt(value, path);
  const spanId = decodeId(s.spanId, 8, `${path}.spanId`);
  // OTLP/JSON writes "" (or nothing) for a root span.
  const parentSpanId =
    s.parentSpanId === undefined || s.parentSpanId === null || s.parentSpanId === ''
      ? null
      : decodeId(s.parentSpanId, 8, `${path}.parentSpanId`);
  const start = nanosAt(s.startTimeUnixNano, `${path}.startTimeUnixNano`);
  const end = nanosAt(s.endTimeUnixNano, `${path}.endTimeUnixNano`);
  const status = isObject(s.status) ? s.status : {};
  const message = typeof status.message === 'string' && status.message !== '' ? status.message : undefined;
  const events = arrayAt(s.events, `${path}.events`).map((item, i): TraceSpanEvent => {
    const e = objectAt(item, `${path}.events[${i}]`);
    return {
      name: typeof e.name === 'string' ? e.name : '',
      timeUnixMs: nanosToMs(nanosAt(e.timeUnixNano, `${path}.events[${i}].timeUnixNano`)),
      attributes: attributesOf(e.attributes, `${path}.events[${i}].attributes`),
    };
  });
  const code = statusCode(status.code);
  return {
    spanId,
    parentSpanId,
    service,
    name: typeof s.name === 'string' ? s.name : '',
    kind: spanKind(s.kind),
    startUnixMs: nanosToMs(start),
    // A clock that went backwards must not draw a negative bar.
    durationMs: end > start ? Number(end - start) / 1e6 : 0,
    status: message === undefined ? { code } : { code, message },
    attributes: attributesOf(s.attributes, `${path}.attributes`),
    events,
  };
}

/**
 * Flattens Jaeger's `{"result": {"resourceSpans": […]}}` (or a bare
 * `{"resourceSpans": […]}`) into spans sorted by start time (ties keep the
 * input order). A span stored twice (an exporter retry) is kept once. An empty
 * list is a valid answer: Jaeger may know the trace id before its spans.
 * Throws {@link JaegerPayloadError} if the JSON is not an OTLP trace.
 */
export function flattenOtlpTrace(json: unknown): TraceSpanView[] {
  const top = objectAt(json, '(root)');
  const data = 'result' in top ? objectAt(top.result, 'result') : top;
  if (!('resourceSpans' in data)) throw new JaegerPayloadError('result.resourceSpans', 'is missing');
  const spans: TraceSpanView[] = [];
  const seen = new Set<string>();
  arrayAt(data.resourceSpans, 'resourceSpans').forEach((rsValue, r) => {
    const rsPath = `resourceSpans[${r}]`;
    const rs = objectAt(rsValue, rsPath);
    const resource = isObject(rs.resource) ? rs.resource : {};
    const name = attributesOf(resource.attributes, `${rsPath}.resource.attributes`)['service.name'];
    // What the SDKs call a process that set no service name.
    const service = typeof name === 'string' && name !== '' ? name : 'unknown_service';
    arrayAt(rs.scopeSpans, `${rsPath}.scopeSpans`).forEach((ssValue, s) => {
      const ssPath = `${rsPath}.scopeSpans[${s}]`;
      const ss = objectAt(ssValue, ssPath);
      arrayAt(ss.spans, `${ssPath}.spans`).forEach((spanValue, i) => {
        const span = spanOf(spanValue, `${ssPath}.spans[${i}]`, service);
        if (seen.has(span.spanId)) return;
        seen.add(span.spanId);
        spans.push(span);
      });
    });
  });
  return spans.sort((a, b) => a.startUnixMs - b.startUnixMs);
}

/**
 * Why these spans are not (yet) one connected trace, or null when they are:
 * at least one span, exactly one root (parentSpanId null), and every parent
 * id present among the spans. (Whether more spans are still on their way is
 * for the poller to find out: see trace-poll.ts.)
 */
export function connectionProblem(
  spans: readonly Pick<TraceSpanView, 'spanId' | 'parentSpanId'>[],
): string | null {
  if (spans.length === 0) return 'no spans';
  const roots = spans.filter((s) => s.parentSpanId === null).length;
  if (roots === 0) return 'no root span';
  if (roots > 1) return `${roots} root spans`;
  const ids = new Set(spans.map((s) => s.spanId));
  const missing = new Set(
    spans.flatMap((s) => (s.parentSpanId !== null && !ids.has(s.parentSpanId) ? [s.parentSpanId] : [])),
  );
  if (missing.size > 0)
    return `parent span${missing.size === 1 ? '' : 's'} ${[...missing].join(', ')} missing`;
  return null;
}

/** True when {@link connectionProblem} finds none. */
export function isConnected(spans: readonly Pick<TraceSpanView, 'spanId' | 'parentSpanId'>[]): boolean {
  return connectionProblem(spans) === null;
}

/**
 * The route's completeness rule: connected, and the span count the same as
 * the previous poll's (`previousCount` undefined on the first poll, so a trace
 * is never complete after a single look).
 */
export function isComplete(
  spans: readonly Pick<TraceSpanView, 'spanId' | 'parentSpanId'>[],
  previousCount: number | undefined,
): boolean {
  return previousCount === spans.length && isConnected(spans);
}

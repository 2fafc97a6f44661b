/**
 * The one reader of OTLP/JSON traces: Jaeger v2's `GET /api/v3/traces/{id}`
 * (`{"result": {"resourceSpans": […]}}`) or a bare `{"resourceSpans": […]}`
 * (what an OTLP/HTTP exporter sends), into the {@link TraceSpan} model. Used by
 * the assertions and by the API's trace route alike. Plain ECMAScript: no
 * `node:` module, no Buffer, no Playwright.
 *
 * Tolerant of encodings (OTLP/JSON says hex ids, numeric enums and int64 as
 * strings; the protobuf JSON mapping says base64 ids and enum names: both are
 * met in the wild) and of what OTLP/JSON may omit (empty strings, empty lists,
 * zero enums). Strict about everything else: a document that is not a valid
 * trace throws an {@link OtlpParseError} naming the broken field, e.g.
 * `resourceSpans[0].scopeSpans[1].spans[3].spanId is missing`, instead of a
 * confusing "span not found" (or a wrongly drawn waterfall) later. In
 * particular, following the OTLP and W3C specifications:
 * - an all-zero trace or span id is rejected (both define it as invalid; no
 *   SDK sends one, so it means a broken producer or a wrong document);
 * - a span that ends before it starts is rejected (OTLP expects end >= start,
 *   and every OpenTelemetry SDK clamps such a span to zero length itself:
 *   showing it as 0 ms would hide a broken producer behind a plausible bar).
 */
import { Trace } from './model.ts';
import type { AttributeValue, SpanEvent, SpanKind, StatusCode, TraceSpan } from './model.ts';

/** The document is not an OTLP trace; the message names the path of the first broken field. */
export class OtlpParseError extends Error {
  override name = 'OtlpParseError';
  constructor(path: string, problem: string) {
    super(`Malformed OTLP trace: ${path} ${problem}`);
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function objectAt(value: unknown, path: string): Json {
  if (value === undefined) throw new OtlpParseError(path, 'is missing');
  if (!isObject(value)) throw new OtlpParseError(path, `must be an object, got ${describeType(value)}`);
  return value;
}

/** Missing arrays are empty: OTLP/JSON omits empty repeated fields. */
function arrayAt(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpParseError(path, `must be an array, got ${describeType(value)}`);
  return value;
}

function stringAt(value: unknown, path: string): string {
  if (value === undefined) throw new OtlpParseError(path, 'is missing');
  if (typeof value !== 'string')
    throw new OtlpParseError(path, `must be a string, got ${describeType(value)}`);
  return value;
}

const HEX_ID = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Base64 or base64url (padding optional) as lowercase hex, or undefined if it is not base64. */
function base64ToHex(text: string): string | undefined {
  let binary: string;
  try {
    binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return undefined;
  }
  return Array.from(binary, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

/**
 * Decodes a trace or span id given as hex (OTLP/JSON) or base64 (protobuf JSON
 * mapping of `bytes`) to lowercase hex. The lengths never collide: 16 bytes are
 * 32 hex or 22–24 base64 characters, 8 bytes are 16 hex or 11–12 base64.
 */
function idAt(value: unknown, bytes: 16 | 8, path: string): string {
  const raw = stringAt(value, path);
  let hex: string | undefined;
  if (raw.length === bytes * 2 && HEX_ID.test(raw)) {
    hex = raw.toLowerCase();
  } else if (BASE64.test(raw)) {
    const decoded = base64ToHex(raw);
    if (decoded?.length === bytes * 2) hex = decoded;
  }
  if (hex === undefined) {
    throw new OtlpParseError(
      path,
      `must be ${bytes * 2} hex digits or base64 of ${bytes} bytes, got ${JSON.stringify(raw)}`,
    );
  }
  if (/^0+$/.test(hex)) throw new OtlpParseError(path, 'must not be all zeros');
  return hex;
}

/** Nanoseconds since epoch (string per OTLP/JSON, number tolerated) as BigInt. */
function nanosAt(value: unknown, path: string): bigint {
  if (value === undefined) throw new OtlpParseError(path, 'is missing');
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  // Numbers above 2^53 have already lost nanoseconds but still round to the right microsecond.
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.round(value));
  throw new OtlpParseError(path, `must be unsigned nanoseconds since epoch, got ${JSON.stringify(value)}`);
}

/** Epoch ns → epoch ms with microsecond precision (what a double can hold for today's dates). */
function nanosToMs(ns: bigint): number {
  return Number(ns / 1000n) / 1000;
}

const KINDS: readonly SpanKind[] = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_CODES: readonly StatusCode[] = ['UNSET', 'OK', 'ERROR'];

/** Decodes an OTLP enum given as its number or as its name, with or without the prefix. */
function enumAt<T extends string>(
  value: unknown,
  names: readonly T[],
  prefix: string,
  fallback: T,
  path: string,
): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number') {
    const name = Number.isInteger(value) ? names[value] : undefined;
    if (name !== undefined) return name;
  } else if (typeof value === 'string') {
    const bare = value.startsWith(prefix) ? value.slice(prefix.length) : value;
    const name = names.find((n) => n === bare);
    if (name !== undefined) return name;
    // A numeric string, as some protobuf JSON printers emit for enums.
    if (/^\d+$/.test(value)) return enumAt(Number(value), names, prefix, fallback, path);
  }
  throw new OtlpParseError(
    path,
    `must be 0..${names.length - 1} or one of ${names.map((n) => prefix + n).join(', ')}, got ${JSON.stringify(value)}`,
  );
}

/** Decodes an OTLP `AnyValue`. */
function anyValueAt(value: unknown, path: string): AttributeValue {
  if (value === undefined || value === null) return null;
  const v = objectAt(value, path);
  if ('stringValue' in v) return stringAt(v.stringValue, `${path}.stringValue`);
  if ('boolValue' in v) {
    if (typeof v.boolValue !== 'boolean') {
      throw new OtlpParseError(`${path}.boolValue`, `must be a boolean, got ${describeType(v.boolValue)}`);
    }
    return v.boolValue;
  }
  if ('intValue' in v) {
    // int64 is a string in OTLP/JSON. A number is plenty for status codes,
    // ports and sizes; values beyond 2^53 lose precision, which tests here never compare.
    const n = typeof v.intValue === 'string' && /^-?\d+$/.test(v.intValue) ? Number(v.intValue) : v.intValue;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      throw new OtlpParseError(`${path}.intValue`, `must be an integer, got ${JSON.stringify(v.intValue)}`);
    }
    return n;
  }
  if ('doubleValue' in v) {
    const d = v.doubleValue;
    // Protobuf JSON writes NaN/Infinity as strings.
    if (typeof d === 'number') return d;
    if (d === 'NaN' || d === 'Infinity' || d === '-Infinity') return Number(d);
    if (typeof d === 'string' && d.trim() !== '' && Number.isFinite(Number(d))) return Number(d);
    throw new OtlpParseError(`${path}.doubleValue`, `must be a number, got ${JSON.stringify(d)}`);
  }
  if ('arrayValue' in v) {
    const arr = objectAt(v.arrayValue, `${path}.arrayValue`);
    return arrayAt(arr.values, `${path}.arrayValue.values`).map((item, i) =>
      anyValueAt(item, `${path}.arrayValue.values[${i}]`),
    );
  }
  if ('kvlistValue' in v) {
    const kv = objectAt(v.kvlistValue, `${path}.kvlistValue`);
    return keyValuesAt(kv.values, `${path}.kvlistValue.values`);
  }
  // Bytes stay base64 text, as OTLP/JSON carries them; that is also how Jaeger shows them.
  if ('bytesValue' in v) return stringAt(v.bytesValue, `${path}.bytesValue`);
  // An empty AnyValue is legal OTLP ("no value").
  if (Object.keys(v).length === 0) return null;
  throw new OtlpParseError(path, `has no known value field (got keys ${Object.keys(v).join(', ')})`);
}

/** Decodes a repeated `KeyValue` list into a plain record. */
function keyValuesAt(value: unknown, path: string): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  arrayAt(value, path).forEach((item, i) => {
    const kv = objectAt(item, `${path}[${i}]`);
    const key = stringAt(kv.key, `${path}[${i}].key`);
    out[key] = anyValueAt(kv.value, `${path}[${i}].value`);
  });
  return out;
}

function spanAt(
  value: unknown,
  path: string,
  resource: Record<string, AttributeValue>,
  service: string,
  scope: string | undefined,
): TraceSpan {
  const s = objectAt(value, path);
  const traceId = idAt(s.traceId, 16, `${path}.traceId`);
  const spanId = idAt(s.spanId, 8, `${path}.spanId`);
  // OTLP/JSON uses "" (or omits the field) for a root span.
  const parentSpanId =
    s.parentSpanId === undefined || s.parentSpanId === null || s.parentSpanId === ''
      ? undefined
      : idAt(s.parentSpanId, 8, `${path}.parentSpanId`);
  // OTLP/JSON leaves out an empty string, a span name included.
  const name = s.name === undefined ? '' : stringAt(s.name, `${path}.name`);
  const kind = enumAt(s.kind, KINDS, 'SPAN_KIND_', 'UNSPECIFIED', `${path}.kind`);
  const start = nanosAt(s.startTimeUnixNano, `${path}.startTimeUnixNano`);
  const end = nanosAt(s.endTimeUnixNano, `${path}.endTimeUnixNano`);
  if (end < start) {
    throw new OtlpParseError(`${path}.endTimeUnixNano`, `(${end}) is before startTimeUnixNano (${start})`);
  }
  const statusObj = s.status === undefined ? {} : objectAt(s.status, `${path}.status`);
  const code = enumAt(statusObj.code, STATUS_CODES, 'STATUS_CODE_', 'UNSET', `${path}.status.code`);
  const message =
    statusObj.message === undefined || statusObj.message === ''
      ? undefined
      : stringAt(statusObj.message, `${path}.status.message`);
  const events = arrayAt(s.events, `${path}.events`).map((item, i): SpanEvent => {
    const e = objectAt(item, `${path}.events[${i}]`);
    return {
      name: e.name === undefined ? '' : stringAt(e.name, `${path}.events[${i}].name`),
      timeMs: nanosToMs(nanosAt(e.timeUnixNano, `${path}.events[${i}].timeUnixNano`)),
      attributes: keyValuesAt(e.attributes, `${path}.events[${i}].attributes`),
    };
  });
  const span: TraceSpan = {
    traceId,
    spanId,
    service,
    name,
    kind,
    startMs: nanosToMs(start),
    durationMs: Number(end - start) / 1e6,
    attributes: keyValuesAt(s.attributes, `${path}.attributes`),
    resource,
    status: message === undefined ? { code } : { code, message },
    events,
  };
  if (parentSpanId !== undefined) span.parentSpanId = parentSpanId;
  if (scope !== undefined) span.scope = scope;
  return span;
}

/**
 * Decodes every span of an OTLP/JSON document (Jaeger's `{"result": …}`
 * wrapper or bare `{"resourceSpans": […]}`) without building a {@link Trace}.
 * An empty list is valid here: Jaeger may answer before any span is stored.
 */
export function parseOtlpSpans(json: unknown): TraceSpan[] {
  const top = objectAt(json, '(root)');
  const data = 'result' in top ? objectAt(top.result, 'result') : top;
  if (!('resourceSpans' in data)) {
    throw new OtlpParseError('resourceSpans', 'is missing (expected {"result":{"resourceSpans":[…]}})');
  }
  const spans: TraceSpan[] = [];
  arrayAt(data.resourceSpans, 'resourceSpans').forEach((rsValue, r) => {
    const rsPath = `resourceSpans[${r}]`;
    const rs = objectAt(rsValue, rsPath);
    const resourceObj = rs.resource === undefined ? {} : objectAt(rs.resource, `${rsPath}.resource`);
    const resource = keyValuesAt(resourceObj.attributes, `${rsPath}.resource.attributes`);
    const serviceName = resource['service.name'];
    const service = typeof serviceName === 'string' && serviceName !== '' ? serviceName : 'unknown_service';
    arrayAt(rs.scopeSpans, `${rsPath}.scopeSpans`).forEach((ssValue, s) => {
      const ssPath = `${rsPath}.scopeSpans[${s}]`;
      const ss = objectAt(ssValue, ssPath);
      const scopeObj =
        ss.scope === undefined || ss.scope === null ? {} : objectAt(ss.scope, `${ssPath}.scope`);
      const scope =
        scopeObj.name === undefined || scopeObj.name === ''
          ? undefined
          : stringAt(scopeObj.name, `${ssPath}.scope.name`);
      arrayAt(ss.spans, `${ssPath}.spans`).forEach((spanValue, i) => {
        spans.push(spanAt(spanValue, `${ssPath}.spans[${i}]`, resource, service, scope));
      });
    });
  });
  return spans;
}

/**
 * Parses the JSON of Jaeger's `GET /api/v3/traces/{traceId}` (`{"result":
 * {"resourceSpans": […]}}`), or a bare OTLP `{"resourceSpans": […]}`, into a
 * {@link Trace}.
 *
 * Accepts hex or base64 ids, numeric or named kinds/status codes, and every
 * OTLP AnyValue variant. Throws an {@link OtlpParseError} naming the offending
 * path for malformed input, when there are no spans at all, and when spans
 * belong to more than one trace (Jaeger never does that for one trace id, so
 * it means the wrong document was passed in).
 */
export function parseOtlpTrace(json: unknown): Trace {
  return traceFromSpans(parseOtlpSpans(json));
}

/**
 * Builds a {@link Trace} from decoded spans, rejecting an empty list and spans
 * of more than one trace id.
 */
export function traceFromSpans(spans: readonly TraceSpan[], options: { link?: string } = {}): Trace {
  const first = spans[0];
  if (first === undefined) throw new OtlpParseError('the document', 'contains no spans');
  const counts = new Map<string, number>();
  for (const span of spans) counts.set(span.traceId, (counts.get(span.traceId) ?? 0) + 1);
  if (counts.size > 1) {
    const list = [...counts].map(([id, n]) => `${id} (${n} span${n === 1 ? '' : 's'})`).join(', ');
    throw new OtlpParseError('spans', `belong to more than one trace: ${list}`);
  }
  return new Trace(first.traceId, spans, options);
}

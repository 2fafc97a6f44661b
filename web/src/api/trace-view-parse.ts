/**
 * Checks the JSON of the API's `GET /traces/:traceId` and `GET /status`
 * against their contract (@tracing-demo/stack/trace-view) before the page
 * draws it: a mismatch is reported in one sentence naming the field, instead
 * of a blank or broken waterfall. Pure: unit-tested in test/api/trace-view-parse.test.ts.
 */
import type {
  AttributeValue,
  ReachabilityView,
  SamplingView,
  SpanKindName,
  StackStatusView,
  TraceSpanEvent,
  TraceSpanView,
  TraceView,
} from '@tracing-demo/stack/trace-view';

/** The body is not what the contract says. */
export class ContractError extends Error {
  override name = 'ContractError';
}

const SPAN_KINDS: readonly SpanKindName[] = ['internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_CODES = ['unset', 'ok', 'error'] as const;

/** 32 lower-case hex digits, not all zero (W3C Trace Context). */
export function isTraceId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value) && !/^0+$/.test(value);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 39)}…` : value}"`;
  return typeof value === 'object' ? 'an object' : String(value);
}

function fail(where: string, expected: string, value: unknown): never {
  throw new ContractError(`${where} must be ${expected}, got ${describe(value)}.`);
}

function string(object: Json, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== 'string') fail(`${where}.${key}`, 'a string', value);
  return value;
}

function finiteNumber(object: Json, key: string, where: string): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${where}.${key}`, 'a finite number', value);
  return value;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Attribute values outside the OpenTelemetry types (null, objects, mixed
 * arrays) are kept as their JSON text rather than failing the whole trace:
 * they are data to show, not structure.
 */
function attributes(value: unknown, where: string): Record<string, AttributeValue> {
  if (!isObject(value)) fail(where, 'an object', value);
  const result: Record<string, AttributeValue> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isScalar(item)) result[key] = item;
    else if (
      Array.isArray(item) &&
      item.every((element) => isScalar(element) && typeof element === typeof item[0])
    )
      result[key] = item as AttributeValue;
    else result[key] = JSON.stringify(item) ?? String(item);
  }
  return result;
}

function event(value: unknown, where: string): TraceSpanEvent {
  if (!isObject(value)) fail(where, 'an object', value);
  return {
    name: string(value, 'name', where),
    timeUnixMs: finiteNumber(value, 'timeUnixMs', where),
    attributes: attributes(value.attributes ?? {}, `${where}.attributes`),
  };
}

function span(value: unknown, where: string): TraceSpanView {
  if (!isObject(value)) fail(where, 'an object', value);
  const spanId = string(value, 'spanId', where);
  if (spanId === '') fail(`${where}.spanId`, 'a non-empty string', spanId);
  const parent = value.parentSpanId;
  if (parent !== null && typeof parent !== 'string')
    fail(`${where}.parentSpanId`, 'a string or null', parent);
  const kind = value.kind;
  if (!SPAN_KINDS.includes(kind as SpanKindName))
    fail(`${where}.kind`, `one of ${SPAN_KINDS.join(', ')}`, kind);
  const status = value.status;
  if (!isObject(status)) fail(`${where}.status`, 'an object', status);
  const code = status.code;
  if (!STATUS_CODES.includes(code as (typeof STATUS_CODES)[number]))
    fail(`${where}.status.code`, `one of ${STATUS_CODES.join(', ')}`, code);
  const message = status.message;
  if (message !== undefined && typeof message !== 'string')
    fail(`${where}.status.message`, 'a string when present', message);
  const events = value.events ?? [];
  if (!Array.isArray(events)) fail(`${where}.events`, 'an array', events);
  return {
    spanId,
    // An empty parent id is how OTLP spells "root".
    parentSpanId: parent === '' ? null : parent,
    service: string(value, 'service', where),
    name: string(value, 'name', where),
    kind: kind as SpanKindName,
    startUnixMs: finiteNumber(value, 'startUnixMs', where),
    durationMs: finiteNumber(value, 'durationMs', where),
    status:
      message === undefined
        ? { code: code as TraceSpanView['status']['code'] }
        : { code: code as TraceSpanView['status']['code'], message },
    attributes: attributes(value.attributes ?? {}, `${where}.attributes`),
    events: events.map((item, index) => event(item, `${where}.events[${index}]`)),
  };
}

/**
 * The body of a 200 `GET /traces/:traceId`, checked. Throws a ContractError
 * naming the first field that does not match (and when the trace id is not
 * the one asked for).
 */
export function parseTraceView(body: unknown, expectedTraceId?: string): TraceView {
  if (!isObject(body)) fail('The trace', 'a JSON object', body);
  const traceId = body.traceId;
  if (!isTraceId(traceId)) fail('traceId', '32 lower-case hex digits, not all zero', traceId);
  if (expectedTraceId !== undefined && traceId !== expectedTraceId)
    fail('traceId', `the trace asked for (${expectedTraceId})`, traceId);
  if (typeof body.complete !== 'boolean') fail('complete', 'true or false', body.complete);
  if (!Array.isArray(body.spans)) fail('spans', 'an array', body.spans);
  return {
    traceId,
    complete: body.complete,
    spans: body.spans.map((item, index) => span(item, `spans[${index}]`)),
  };
}

/** One part of `GET /status`, or undefined when missing or malformed (shown as "unknown"). */
function reachability(value: unknown): ReachabilityView | undefined {
  if (!isObject(value) || typeof value.reachable !== 'boolean') return undefined;
  return { reachable: value.reachable, url: typeof value.url === 'string' ? value.url : '' };
}

/** What the status strip shows: each part the API reported; a part it did not is unknown. */
export type StackStatus = {
  [K in Exclude<keyof StackStatusView, 'sampling'>]: ReachabilityView | undefined;
} & {
  /** How traces are kept; an API that does not say keeps every one. */
  sampling: SamplingView;
};

/** `sampling` of `GET /status`: the gateway topology with its numbers, or (anything else) every trace kept. */
function sampling(value: unknown): SamplingView {
  if (
    isObject(value) &&
    value.topology === 'gateway' &&
    typeof value.percent === 'number' &&
    typeof value.latencyMs === 'number'
  ) {
    return { topology: 'gateway', percent: value.percent, latencyMs: value.latencyMs };
  }
  return { topology: 'single' };
}

/**
 * The body of a 200 `GET /status`. Lenient per part (an API that does not
 * know about the inventory leaves it unknown), strict about the whole: a
 * body that is not an object with at least one well-formed part throws.
 */
export function parseStackStatus(body: unknown): StackStatus {
  if (!isObject(body)) fail('The status', 'a JSON object', body);
  const status: StackStatus = {
    collector: reachability(body.collector),
    jaeger: reachability(body.jaeger),
    inventory: reachability(body.inventory),
    sampling: sampling(body.sampling),
  };
  if ([status.collector, status.jaeger, status.inventory].every((part) => part === undefined))
    throw new ContractError('The status has none of collector, jaeger, inventory as { reachable, url }.');
  return status;
}

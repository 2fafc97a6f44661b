import { Type, type Static } from 'typebox';

/**
 * TypeBox mirrors of `@tracing-demo/stack/trace-view` (the contract with the
 * page): `GET /traces/:traceId` and `GET /status`. The route files check at
 * compile time that these stay assignable to the contract's types.
 */

/** A W3C trace id as Jaeger and the page print it: 32 lowercase hex digits. */
export const TRACE_ID_PATTERN = '^[0-9a-f]{32}$';

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
});
export type TraceQuery = Static<typeof TraceQuerySchema>;

/**
 * Attribute values are left loose (any JSON value): a union here would make
 * the serializer try each branch, and the flattener already guarantees the
 * contract's `AttributeValue` shapes.
 */
const AttributesSchema = Type.Record(Type.String(), Type.Unknown());

export const TraceSpanEventSchema = Type.Object({
  name: Type.String(),
  timeUnixMs: Type.Number(),
  attributes: AttributesSchema,
});

export const TraceSpanViewSchema = Type.Object({
  spanId: Type.String(),
  parentSpanId: Type.Union([Type.String(), Type.Null()]),
  service: Type.String(),
  name: Type.String(),
  kind: Type.Union([
    Type.Literal('internal'),
    Type.Literal('server'),
    Type.Literal('client'),
    Type.Literal('producer'),
    Type.Literal('consumer'),
  ]),
  startUnixMs: Type.Number(),
  durationMs: Type.Number(),
  status: Type.Object({
    code: Type.Union([Type.Literal('unset'), Type.Literal('ok'), Type.Literal('error')]),
    message: Type.Optional(Type.String()),
  }),
  attributes: AttributesSchema,
  events: Type.Array(TraceSpanEventSchema),
});

export const TraceViewSchema = Type.Object({
  traceId: Type.String(),
  complete: Type.Boolean(),
  spans: Type.Array(TraceSpanViewSchema),
});

export const ReachabilitySchema = Type.Object({ reachable: Type.Boolean(), url: Type.String() });

export const SamplingSchema = Type.Union([
  Type.Object({ topology: Type.Literal('single') }),
  Type.Object({ topology: Type.Literal('gateway'), percent: Type.Number(), latencyMs: Type.Number() }),
]);

export const StackStatusSchema = Type.Object({
  collector: ReachabilitySchema,
  jaeger: ReachabilitySchema,
  inventory: ReachabilitySchema,
  sampling: SamplingSchema,
});

/**
 * `GET /status`: can the API reach the Collector, Jaeger and the inventory,
 * how are traces kept, and does Jaeger serve its UI? The API serializes its answer with
 * {@link StackStatusSchema}; the page's status strip checks it against the same.
 */
import { Type, type Static } from 'typebox';

export const ReachabilitySchema = Type.Object({
  reachable: Type.Boolean(),
  /** The health URL that was asked. */
  url: Type.String(),
});
export type ReachabilityView = Static<typeof ReachabilitySchema>;

/**
 * How traces are kept: every one (`single`), or tail-sampled by the gateway
 * Collectors (`gateway`, STACK_TOPOLOGY): errors, traces slower than
 * `latencyMs` and `percent` % of the rest.
 */
export const SamplingSchema = Type.Union([
  Type.Object({ topology: Type.Literal('single') }),
  Type.Object({ topology: Type.Literal('gateway'), percent: Type.Number(), latencyMs: Type.Number() }),
]);
export type SamplingView = Static<typeof SamplingSchema>;

/**
 * What Jaeger serves at its UI root: the Jaeger UI (`real`: the official
 * image), the placeholder page of a binary built without the UI assets
 * (`placeholder`: the Go-built one of the native path), or `unknown` (no
 * answer, or neither). The page links to Jaeger only when it is `real`.
 */
export const JaegerUiSchema = Type.Enum(['real', 'placeholder', 'unknown']);
export type JaegerUiKind = Static<typeof JaegerUiSchema>;

/** 200 answer of `GET /status`. */
export const StackStatusSchema = Type.Object({
  collector: ReachabilitySchema,
  jaeger: ReachabilitySchema,
  inventory: ReachabilitySchema,
  sampling: SamplingSchema,
  jaegerUi: JaegerUiSchema,
});
export type StackStatusView = Static<typeof StackStatusSchema>;

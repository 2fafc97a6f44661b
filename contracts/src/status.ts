/**
 * `GET /status`: can the API reach the Collector, Jaeger and the inventory,
 * and how are traces kept? The API serializes its answer with
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

/** 200 answer of `GET /status`. */
export const StackStatusSchema = Type.Object({
  collector: ReachabilitySchema,
  jaeger: ReachabilitySchema,
  inventory: ReachabilitySchema,
  sampling: SamplingSchema,
});
export type StackStatusView = Static<typeof StackStatusSchema>;

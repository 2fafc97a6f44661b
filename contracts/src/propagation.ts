import { Type, type Static } from 'typebox';

/** The propagation headers a service received, exactly as they arrived (null: none). */
export const ReceivedPropagationSchema = Type.Object({
  traceparent: Type.Union([Type.String(), Type.Null()]),
  tracestate: Type.Union([Type.String(), Type.Null()]),
});
export type ReceivedPropagation = Static<typeof ReceivedPropagationSchema>;

/**
 * `GET /propagation`: what the API understood of the propagation headers it
 * received (the trace context of its SERVER span, the `tracestate` it passes
 * on, the baggage entries), and what its next hop, the inventory, received
 * from it (null when the inventory could not be asked). A debugging aid, and
 * how the e2e specs prove what crosses each hop.
 */
export const PropagationSchema = Type.Object({
  traceId: Type.String(),
  spanId: Type.String(),
  sampled: Type.Boolean(),
  tracestate: Type.String(),
  baggage: Type.Record(Type.String(), Type.String()),
  inventory: Type.Union([ReceivedPropagationSchema, Type.Null()]),
});
export type Propagation = Static<typeof PropagationSchema>;

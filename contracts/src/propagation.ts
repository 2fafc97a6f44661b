import { Type, type Static } from 'typebox';

/**
 * `GET /propagation`: what the API understood of the propagation headers it
 * received (the trace context of its SERVER span, the `tracestate` it passes
 * on, the baggage entries). A debugging aid, and how the e2e specs prove that
 * tracestate and baggage reach the API unchanged.
 */
export const PropagationSchema = Type.Object({
  traceId: Type.String(),
  spanId: Type.String(),
  sampled: Type.Boolean(),
  tracestate: Type.String(),
  baggage: Type.Record(Type.String(), Type.String()),
});
export type Propagation = Static<typeof PropagationSchema>;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { context, propagation } from '@opentelemetry/api';
import { PropagationSchema } from '@tracing-demo/contracts';
import { serverSpan } from '../server-span.ts';

/**
 * What the API understood of the propagation headers it received: the trace
 * context of its SERVER span, the `tracestate` it will pass on, and the
 * baggage entries. A debugging aid for CORS/propagation set-ups, and how the
 * tests prove that tracestate and baggage reach the API unchanged. Nothing
 * here is recorded on spans.
 */
const propagationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/propagation', { schema: { response: { 200: PropagationSchema } } }, async () => {
    const spanContext = serverSpan()?.spanContext();
    const baggage = propagation.getBaggage(context.active());
    return {
      traceId: spanContext?.traceId ?? '',
      spanId: spanContext?.spanId ?? '',
      sampled: ((spanContext?.traceFlags ?? 0) & 1) === 1,
      tracestate: spanContext?.traceState?.serialize() ?? '',
      baggage: Object.fromEntries(baggage?.getAllEntries().map(([key, entry]) => [key, entry.value]) ?? []),
    };
  });
};

export default propagationRoutes;

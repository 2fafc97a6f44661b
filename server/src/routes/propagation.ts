import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { context, propagation } from '@opentelemetry/api';
import { PropagationSchema } from '@tracing-demo/contracts';
import { fetchReceivedPropagation, type InventoryClientOptions } from '../inventory-client.ts';
import { serverSpan } from '../server-span.ts';

/**
 * What the API understood of the propagation headers it received: the trace
 * context of its SERVER span, the `tracestate` it will pass on, and the
 * baggage entries; then what its traced call to the inventory carried, as the
 * inventory received it. A debugging aid for CORS/propagation set-ups, and how
 * the tests prove what crosses each hop. Nothing here is recorded on spans.
 */
const propagationRoutes: FastifyPluginAsyncTypebox<{ inventory: InventoryClientOptions }> = async (
  app,
  { inventory },
) => {
  app.get('/propagation', { schema: { response: { 200: PropagationSchema } } }, async () => {
    const spanContext = serverSpan()?.spanContext();
    const baggage = propagation.getBaggage(context.active());
    return {
      traceId: spanContext?.traceId ?? '',
      spanId: spanContext?.spanId ?? '',
      sampled: ((spanContext?.traceFlags ?? 0) & 1) === 1,
      tracestate: spanContext?.traceState?.serialize() ?? '',
      baggage: Object.fromEntries(baggage?.getAllEntries().map(([key, entry]) => [key, entry.value]) ?? []),
      inventory: await fetchReceivedPropagation(inventory),
    };
  });
};

export default propagationRoutes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SpanStatusCode } from '@opentelemetry/api';
import { ErrorSchema, ItemParamsSchema, ItemQuerySchema, ItemSchema } from '@tracing-demo/contracts';
import { serverSpan } from '../server-span.ts';
import { fetchStock, InventoryError, type InventoryClientOptions } from '../inventory-client.ts';
import { sendError } from '../plugins/errors.ts';

const itemRoutes: FastifyPluginAsyncTypebox<{ inventory: InventoryClientOptions }> = async (
  app,
  { inventory },
) => {
  app.get(
    '/items/:id',
    {
      schema: {
        params: ItemParamsSchema,
        querystring: ItemQuerySchema,
        response: { 200: ItemSchema, '4xx': ErrorSchema, '5xx': ErrorSchema },
      },
    },
    async (request, reply) => {
      const id = Number(request.params.id);
      const { q = null, inventory_delay_ms: delayMs, inventory_fail: fail } = request.query;
      // Record the inputs on the request's SERVER span: the trace then shows
      // what the user asked for, not only the URL.
      const span = serverSpan();
      span?.setAttributes({ 'app.item.id': id, ...(q === null ? {} : { 'app.item.q': q }) });

      try {
        const stock = await fetchStock(inventory, { id, delayMs, fail });
        if (stock === undefined) {
          request.log.info({ item_id: id }, 'inventory has no such item');
          return sendError(reply, 404, `item ${id} not found`);
        }
        request.log.info({ item_id: id, stock: stock.stock }, 'inventory answered');
        return { item_id: id, q, name: stock.name, stock: stock.stock };
      } catch (error) {
        if (!(error instanceof InventoryError)) throw error;
        // The SERVER span says where the API noticed (an exception event); the
        // CLIENT span (or its absence, when the inventory is down) shows what
        // happened below it.
        span?.recordException(error);
        span?.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        request.log.warn({ item_id: id, statusCode: error.statusCode }, error.message);
        return sendError(reply, error.statusCode, error.message);
      }
    },
  );
};

export default itemRoutes;

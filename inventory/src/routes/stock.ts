import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorSchema, StockParamsSchema, StockQuerySchema, StockSchema } from '@tracing-demo/contracts';
import type { InventoryDb } from '../db.ts';

const stockRoutes: FastifyPluginAsyncTypebox<{ db: InventoryDb }> = async (app, { db }) => {
  app.get(
    '/stock/:id',
    {
      schema: {
        params: StockParamsSchema,
        querystring: StockQuerySchema,
        response: { 200: StockSchema, 404: ErrorSchema, 500: ErrorSchema },
      },
    },
    async (request, reply) => {
      const id = Number(request.params.id);
      const { delay_ms: delayMs = 0, fail = false } = request.query;
      const span = trace.getActiveSpan();
      span?.setAttributes({ 'app.item.id': id, 'app.inventory.delay_ms': delayMs });
      if (delayMs > 0) await sleep(delayMs);
      if (fail) {
        const message = 'inventory failure requested (fail=true)';
        // An exception event on the SERVER span: Jaeger shows where and why it broke.
        span?.recordException(new Error(message));
        span?.setStatus({ code: SpanStatusCode.ERROR, message });
        request.log.error({ item_id: id }, message);
        return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message });
      }
      const item = db.findItem(id);
      if (item === undefined) {
        request.log.info({ item_id: id }, 'no such item');
        return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `item ${id} not found` });
      }
      request.log.info({ item_id: id, stock: item.stock }, 'stock looked up');
      return item;
    },
  );
};

export default stockRoutes;

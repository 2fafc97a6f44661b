import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from 'typebox';
import type { InventoryDb } from '../db.ts';

/** Digits (an optional minus: the API accepts one), like the API's item id (Ajv would coerce "0x10" or " " to numbers). */
const StockParams = Type.Object({ id: Type.String({ pattern: '^-?[0-9]{1,15}$' }) });
const StockQuery = Type.Object({
  /** "Slow downstream": wait this long before answering. */
  delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  /** "Inventory failure": answer 500 on purpose. */
  fail: Type.Optional(Type.Boolean()),
});
const Stock = Type.Object({ item_id: Type.Integer(), name: Type.String(), stock: Type.Integer() });
const ErrorBody = Type.Object({ statusCode: Type.Integer(), error: Type.String(), message: Type.String() });

const stockRoutes: FastifyPluginAsyncTypebox<{ db: InventoryDb }> = async (app, { db }) => {
  app.get(
    '/stock/:id',
    {
      schema: {
        params: StockParams,
        querystring: StockQuery,
        response: { 200: Stock, 404: ErrorBody, 500: ErrorBody },
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

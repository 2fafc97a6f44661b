import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { trace } from '@opentelemetry/api';
import { ErrorSchema } from '../schemas/errors.ts';
import { ItemParamsSchema, ItemQuerySchema, ItemSchema } from '../schemas/items.ts';

const itemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/items/:id',
    {
      schema: {
        params: ItemParamsSchema,
        querystring: ItemQuerySchema,
        response: { 200: ItemSchema, 400: ErrorSchema },
      },
      // The only pattern here is the id's: say what it means, as FastAPI would.
      schemaErrorFormatter: (errors, dataVar) =>
        new Error(
          errors
            .map(
              (e) => `${dataVar}${e.instancePath} ${e.keyword === 'pattern' ? 'must be integer' : e.message}`,
            )
            .join(', '),
        ),
    },
    async (request) => {
      const id = Number(request.params.id);
      const q = request.query.q ?? null;
      // Record the inputs on the active span (the @fastify/otel handler span):
      // the trace then shows what the user asked for, not only the URL.
      trace.getActiveSpan()?.setAttributes({ 'app.item.id': id, ...(q === null ? {} : { 'app.item.q': q }) });
      return { item_id: id, q };
    },
  );
};

export default itemRoutes;

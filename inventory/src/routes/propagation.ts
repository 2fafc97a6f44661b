import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReceivedPropagationSchema } from '@tracing-demo/contracts';

/** A header as Node gives it: duplicates of these two are joined with ", ". */
const header = (value: string | string[] | undefined): string | null =>
  value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;

/**
 * `GET /propagation`: the `traceparent` and `tracestate` this request arrived
 * with, as they are. The API's own `GET /propagation` calls it, so one request
 * shows what crossed both hops.
 */
const propagationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/propagation', { schema: { response: { 200: ReceivedPropagationSchema } } }, async (request) => ({
    traceparent: header(request.headers.traceparent),
    tracestate: header(request.headers.tracestate),
  }));
};

export default propagationRoutes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TraceView } from '@tracing-demo/stack/trace-view';
import { ErrorSchema } from '../schemas/errors.ts';
import { TraceParamsSchema, TraceQuerySchema, TraceViewSchema } from '../schemas/traces.ts';
import { pollTrace } from '../trace-poll.ts';

export interface TraceRoutesOptions {
  /** Jaeger's query/UI base URL, e.g. `http://127.0.0.1:16686` (stack config `jaeger.uiUrl`). */
  jaegerUrl: string;
  /** Pause between two polls of Jaeger. Default 250. */
  pollIntervalMs?: number;
  /** For tests; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/**
 * `GET /traces/:traceId?wait_ms=5000`: one trace from Jaeger, flattened for
 * the page's waterfall (`TraceView` in @tracing-demo/stack/trace-view). Waits
 * up to `wait_ms` for the trace to be complete; answers what it has if it is
 * not. Not traced itself (its path is one of UNTRACED_API_PATHS, which the
 * tracing preload ignores): the page calls it after each action, and its
 * spans would bury the ones it shows.
 */
const traceRoutes: FastifyPluginAsyncTypebox<TraceRoutesOptions> = async (app, options) => {
  const jaegerUrl = options.jaegerUrl.replace(/\/+$/, '');
  const intervalMs = options.pollIntervalMs ?? 250;
  const fetchImpl = options.fetch ?? globalThis.fetch;

  app.get(
    '/traces/:traceId',
    {
      schema: {
        params: TraceParamsSchema,
        querystring: TraceQuerySchema,
        response: { 200: TraceViewSchema, 400: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema },
      },
      schemaErrorFormatter: (errors, dataVar) =>
        new Error(
          errors
            .map(
              (e) =>
                `${dataVar}${e.instancePath} ${e.keyword === 'pattern' ? 'must be 32 lowercase hex digits' : e.message}`,
            )
            .join(', '),
        ),
    },
    async (request, reply) => {
      const { traceId } = request.params;
      // Stop polling when the client goes away (the page moved on to another trace).
      const gone = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableEnded) gone.abort();
      };
      reply.raw.once('close', onClose);
      try {
        const outcome = await pollTrace({
          jaegerUrl,
          traceId,
          waitMs: request.query.wait_ms,
          intervalMs,
          fetch: fetchImpl,
          signal: gone.signal,
        });
        if (outcome.kind === 'not-found') {
          return await reply.code(404).send({
            statusCode: 404,
            error: 'Not Found',
            message: `trace ${traceId} not found in Jaeger`,
          });
        }
        if (outcome.kind === 'unreachable') {
          request.log.warn({ err: outcome.error }, 'Jaeger is not reachable');
          return await reply.code(503).send({
            statusCode: 503,
            error: 'Service Unavailable',
            message: `Jaeger is not reachable at ${jaegerUrl}`,
          });
        }
        const view: TraceView = { traceId, complete: outcome.complete, spans: outcome.spans };
        return view;
      } catch (error) {
        // Nobody is listening any more: nothing to answer.
        if (gone.signal.aborted) return reply;
        throw error;
      } finally {
        reply.raw.off('close', onClose);
      }
    },
  );
};

export default traceRoutes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, TraceParamsSchema, TraceQuerySchema, TraceViewSchema } from '@tracing-demo/contracts';
import { JaegerAnswerError } from '@tracing-demo/trace-assert/jaeger';
import { pollTrace } from '@tracing-demo/trace-assert/poll';
import { sendError } from '../plugins/errors.ts';
import { traceView } from '../trace-view.ts';
import { untracedFetch } from '../untraced.ts';

/** How long one Jaeger request may take before Jaeger counts as unreachable. */
export const JAEGER_REQUEST_TIMEOUT_MS = 2000;

export interface TraceRoutesOptions {
  /** Jaeger's query/UI base URL, e.g. `http://127.0.0.1:16686` (stack config `jaeger.uiUrl`). */
  jaegerUrl: string;
  /** Pause between two polls of Jaeger. Default 250. */
  pollIntervalMs?: number;
  /** How long one Jaeger request may take. Default {@link JAEGER_REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
  /** For tests; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/**
 * `GET /traces/:traceId?wait_ms=5000`: one trace from Jaeger, flattened for
 * the page's waterfall (`TraceView` in @tracing-demo/contracts). Waits up to
 * `wait_ms` for the trace to be complete: one tree (one root, every parent
 * there) with the same span count on two polls in a row; answers what it has
 * if it is not. Jaeger's answer is read by trace-assert's reader and poller,
 * the same the e2e assertions use.
 *
 * 404: Jaeger never had the trace. 503: Jaeger gave no usable answer, said at
 * once rather than after the whole wait. 502: Jaeger answered something that
 * is not a readable trace (the reader's reason, e.g. a span that ends before
 * it starts). Not traced itself (`config.otel: false`): the page calls it
 * after each action, and its spans would bury the ones it shows.
 */
const traceRoutes: FastifyPluginAsyncTypebox<TraceRoutesOptions> = async (app, options) => {
  const jaegerUrl = options.jaegerUrl.replace(/\/+$/, '');
  const intervalMs = options.pollIntervalMs ?? 250;
  const fetchImpl = untracedFetch(options.fetch);

  app.get(
    '/traces/:traceId',
    {
      config: { otel: false },
      schema: {
        params: TraceParamsSchema,
        querystring: TraceQuerySchema,
        response: { 200: TraceViewSchema, '4xx': ErrorSchema, '5xx': ErrorSchema },
      },
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
        const result = await pollTrace({
          jaegerUrl,
          traceId,
          timeoutMs: request.query.wait_ms,
          intervalMs,
          stablePolls: 2,
          isComplete: (trace) => trace.isConnected(),
          onError: 'stop',
          requestTimeoutMs: options.requestTimeoutMs ?? JAEGER_REQUEST_TIMEOUT_MS,
          fetch: fetchImpl,
          signal: gone.signal,
        });
        // Spans seen before a failure are still worth drawing (incomplete).
        if (result.last) return traceView(result.last.trace, result.complete);
        const { lastError } = result;
        if (lastError instanceof JaegerAnswerError) {
          request.log.warn({ err: lastError }, 'Jaeger answered something that is not a readable trace');
          const message = `Jaeger's answer for trace ${traceId} is not a trace the API can read: ${lastError.problem}`;
          return await sendError(reply, 502, message);
        }
        if (lastError !== undefined) {
          request.log.warn({ err: lastError }, 'Jaeger is not reachable');
          return await sendError(reply, 503, `Jaeger is not reachable at ${jaegerUrl}`);
        }
        return await sendError(reply, 404, `trace ${traceId} not found in Jaeger`);
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

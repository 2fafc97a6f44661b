import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorSchema,
  TraceListQuerySchema,
  TraceListSchema,
  TraceParamsSchema,
  TraceQuerySchema,
  TraceViewSchema,
  type TraceList,
} from '@tracing-demo/contracts';
import { JaegerAnswerError, JaegerUnreachableError, searchSpans } from '@tracing-demo/trace-assert/jaeger';
import { pollTrace } from '@tracing-demo/trace-assert/poll';
import { fetchServices } from '../jaeger-services.ts';
import { sendError } from '../plugins/errors.ts';
import {
  callerView,
  isTraceComplete,
  parseSpanIdList,
  type TraceExpectation,
} from '../trace-completeness.ts';
import { traceSummaries } from '../trace-summary.ts';
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
 * The page's two views of Jaeger: the list of recent traces and one trace.
 * Neither is traced itself (UNTRACED_API_PATHS; `otel: false` turns @fastify/otel off for a route): the
 * page calls them after each action and whenever the list is shown, and
 * their spans would bury the ones they show. Jaeger's answers are read by
 * trace-assert's reader and poller, the same the e2e assertions use.
 *
 * `GET /traces/:traceId?wait_ms=5000&span_ids=…`: one trace from Jaeger,
 * flattened for the page's waterfall (`TraceView` in @tracing-demo/contracts).
 * Waits up to `wait_ms` for the trace to be complete (trace-completeness.ts):
 * every span of `span_ids` there, one tree (one root, every parent there; or,
 * with `parent_span_id`, every span below that span, which Jaeger may not
 * have yet), and the same span count on two polls in a row; answers what it
 * has if it is not.
 *
 * 404: Jaeger never had the trace. 503: Jaeger gave no usable answer, said at
 * once rather than after the whole wait. 502: Jaeger answered something that
 * is not a readable trace (the reader's reason, e.g. a span that ends before
 * it starts).
 *
 * `GET /traces?service=web&limit=20&lookback_minutes=60`: the newest traces
 * that started in the window (with a span of `service`, if given), one
 * summary each, and every service Jaeger knows (the filter's choices). 503:
 * Jaeger gave no usable answer; 502: it answered something unreadable.
 */
const traceRoutes: FastifyPluginAsyncTypebox<TraceRoutesOptions> = async (app, options) => {
  const jaegerUrl = options.jaegerUrl.replace(/\/+$/, '');
  const intervalMs = options.pollIntervalMs ?? 250;
  const fetchImpl = untracedFetch(options.fetch);
  const requestTimeoutMs = options.requestTimeoutMs ?? JAEGER_REQUEST_TIMEOUT_MS;

  app.get(
    '/traces',
    {
      config: { otel: false },
      schema: {
        querystring: TraceListQuerySchema,
        response: { 200: TraceListSchema, '4xx': ErrorSchema, '5xx': ErrorSchema },
      },
    },
    async (request, reply) => {
      const { service, limit, lookback_minutes: lookbackMinutes } = request.query;
      const until = new Date();
      const since = new Date(until.getTime() - lookbackMinutes * 60_000);
      const jaeger = { timeoutMs: requestTimeoutMs, fetch: fetchImpl };
      try {
        const [services, spans] = await Promise.all([
          fetchServices(jaegerUrl, jaeger),
          // An empty service name searches every service's traces (Jaeger 2.13,
          // Badger and memory stores alike).
          searchSpans(jaegerUrl, { service: service ?? '', since, until, limit, ...jaeger }),
        ]);
        return { services, traces: traceSummaries(spans, limit) } satisfies TraceList;
      } catch (error) {
        if (error instanceof JaegerAnswerError) {
          request.log.warn({ err: error }, 'Jaeger answered something that is not a readable search');
          return await sendError(
            reply,
            502,
            `Jaeger's answer is not a list the API can read: ${error.problem}`,
          );
        }
        if (error instanceof JaegerUnreachableError) {
          request.log.warn({ err: error }, 'Jaeger is not reachable');
          return await sendError(reply, 503, `Jaeger is not reachable at ${jaegerUrl}`);
        }
        throw error;
      }
    },
  );

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
      const expectation: TraceExpectation = {
        parentSpanId: request.query.parent_span_id,
        knownSpanIds: parseSpanIdList(request.query.span_ids),
      };
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
          isComplete: (trace) => isTraceComplete(trace, expectation),
          onError: 'stop',
          requestTimeoutMs,
          fetch: fetchImpl,
          signal: gone.signal,
        });
        // Spans seen before a failure are still worth drawing (incomplete).
        if (result.last) return traceView(callerView(result.last.trace, expectation), result.complete);
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

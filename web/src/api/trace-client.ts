/**
 * Loads one trace for the waterfall through the API's untraced
 * `GET /traces/:traceId?wait_ms=N`, which answers once Jaeger holds the
 * whole trace (or its wait ran out). Unit-tested in test/api/trace-client.test.ts.
 */
import type { TraceView } from '@tracing-demo/contracts';
import { isTraceId } from '@tracing-demo/contracts/ids';
import { describeHttpError } from './messages';
import { tracePath } from './paths';
import type { FetchLike } from './untraced-fetch';
import { untracedGet } from './untraced-fetch';

/** How long the API may wait for the trace to be complete in Jaeger. */
export const TRACE_WAIT_MS = 10_000;
/** Beyond the API's wait, how long the page still waits for its answer. */
const ANSWER_MARGIN_MS = 10_000;

export type TraceLoad =
  | { kind: 'loaded'; trace: TraceView }
  /** 404: Jaeger never had the trace (yet). */
  | { kind: 'not-found'; message: string }
  /** 503: the API could not reach Jaeger. */
  | { kind: 'unavailable'; message: string }
  /** No answer in time. */
  | { kind: 'timeout'; message: string }
  /** Anything else: the API unreachable, an unexpected status, a body that breaks the contract. */
  | { kind: 'failed'; message: string };

export interface LoadTraceOptions {
  signal?: AbortSignal;
  waitMs?: number;
  /** How long the page waits for the answer; the API's wait plus a margin by default. */
  timeoutMs?: number;
  fetchImpl?: FetchLike;
  /**
   * The span the trace hangs below when the page itself is part of a trace
   * (`<meta name="traceparent">`, e.g. a test's): Jaeger may not have it yet,
   * and the trace is complete without it. The API then answers the branch of
   * the action whose span is the first of `knownSpanIds`.
   */
  parentSpanId?: string;
  /**
   * Spans the page knows the trace holds (its user action, the fetch spans,
   * the API's SERVER spans): the API calls the trace complete only once
   * Jaeger has all of them. Without them, a trace read between two exports
   * (the user action alone, say) looks complete.
   */
  knownSpanIds?: readonly string[];
}

/**
 * The trace `traceId`, or why the page cannot draw it. Resolves for every
 * outcome; rejects only with the AbortError when `signal` aborts.
 */
export async function loadTrace(
  apiBase: string,
  traceId: string,
  {
    signal,
    waitMs = TRACE_WAIT_MS,
    timeoutMs = waitMs + ANSWER_MARGIN_MS,
    fetchImpl,
    parentSpanId,
    knownSpanIds,
  }: LoadTraceOptions = {},
): Promise<TraceLoad> {
  if (!isTraceId(traceId)) return { kind: 'failed', message: `"${traceId}" is not a trace id.` };
  const answer = await untracedGet(apiBase, tracePath(traceId, waitMs, { parentSpanId, knownSpanIds }), {
    signal,
    timeoutMs,
    fetchImpl,
  });
  if (answer.kind === 'timeout') return { kind: 'timeout', message: answer.message };
  if (answer.kind === 'network-error') return { kind: 'failed', message: answer.message };
  const { status, body, statusText } = answer;
  if (status === 200) {
    // The contract's checker is a chunk of its own (see trace-view-parse.ts).
    const { ContractError, parseTraceView } = await import('./trace-view-parse');
    try {
      return { kind: 'loaded', trace: parseTraceView(body, traceId) };
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      return { kind: 'failed', message: `The API's trace does not match the contract: ${error.problem}.` };
    }
  }
  const detail = describeHttpError(status, body, statusText);
  if (status === 404)
    return {
      kind: 'not-found',
      message: `Jaeger has no trace ${traceId} after ${Math.round(waitMs / 1000)} s (${detail}). Its spans may have been lost, still be on their way, or (with tail sampling on) sampled out.`,
    };
  if (status === 503) return { kind: 'unavailable', message: `Jaeger cannot be reached (${detail}).` };
  if (status === 504) return { kind: 'timeout', message: detail };
  return { kind: 'failed', message: detail };
}

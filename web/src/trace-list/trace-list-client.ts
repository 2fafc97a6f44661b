/**
 * Loads the trace list through the API's untraced `GET /traces`. Unit-tested
 * in test/trace-list/trace-list-client.test.ts.
 */
import type { TraceList } from '@tracing-demo/contracts';
import { describeHttpError } from '../api/messages';
import { traceListPath } from '../api/paths';
import type { FetchLike } from '../api/untraced-fetch';
import { untracedGet } from '../api/untraced-fetch';
import { ContractError, parseTraceList } from './trace-list-parse';

/** How many traces the page lists: the choices, the first by default (the API allows up to 100). */
export const TRACE_LIST_LIMITS = [20, 50, 100] as const;
export const TRACE_LIST_LIMIT = TRACE_LIST_LIMITS[0];
/** How far back it looks (Jaeger UI's default search window). */
export const TRACE_LIST_WINDOW = { minutes: 60, label: 'hour' } as const;
const TRACE_LIST_TIMEOUT_MS = 10_000;

export type TraceListLoad =
  | { kind: 'loaded'; list: TraceList }
  /** 502/503: the API could not read Jaeger. */
  | { kind: 'unavailable'; message: string }
  /** Anything else: the API unreachable or slow, an unexpected status, a body that breaks the contract. */
  | { kind: 'failed'; message: string };

export interface LoadTraceListOptions {
  /** Only traces with a span of this service; every service when empty or absent. */
  service?: string;
  limit?: number;
  signal?: AbortSignal;
  fetchImpl?: FetchLike;
}

/**
 * The newest traces Jaeger holds, or why the page cannot list them. Resolves
 * for every outcome; rejects only with the AbortError when `signal` aborts.
 */
export async function loadTraceList(
  apiBase: string,
  { service, limit = TRACE_LIST_LIMIT, signal, fetchImpl }: LoadTraceListOptions = {},
): Promise<TraceListLoad> {
  const path = traceListPath({ service, limit, lookbackMinutes: TRACE_LIST_WINDOW.minutes });
  const answer = await untracedGet(apiBase, path, {
    signal,
    timeoutMs: TRACE_LIST_TIMEOUT_MS,
    fetchImpl,
  });
  if (answer.kind !== 'answer') return { kind: 'failed', message: answer.message };
  const { status, body, statusText } = answer;
  if (status === 200) {
    try {
      return { kind: 'loaded', list: parseTraceList(body, service) };
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      return {
        kind: 'failed',
        message: `The API's trace list does not match the contract: ${error.problem}.`,
      };
    }
  }
  const detail = describeHttpError(status, body, statusText);
  if (status === 502 || status === 503)
    return { kind: 'unavailable', message: `The API cannot read Jaeger (${detail}).` };
  return { kind: 'failed', message: detail };
}

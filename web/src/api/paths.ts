/** Pure helpers that build API request URLs. Unit-tested in test/api/paths.test.ts. */
import { MAX_SPAN_ID_LIST } from '@tracing-demo/contracts/ids';

/**
 * Path of GET /items/{id}?q={q}. The id is sent as typed (the API, not the
 * page, validates it: "abc" must come back as a 400), but encoded so it stays
 * one path segment; q is left out when empty.
 */
export function itemPath(id: string, q: string): string {
  const path = `/items/${encodeURIComponent(id)}`;
  return q === '' ? path : `${path}?q=${encodeURIComponent(q)}`;
}

/**
 * Resolves an API path against the API base URL. Like `new URL(path, base)`,
 * but a base with a path prefix (http://host/api) keeps its prefix.
 */
export function apiUrl(base: string, path: string): URL {
  return new URL(path.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`);
}

/** What the page knows of a trace it asks for (see LoadTraceOptions). */
export interface TraceQuery {
  parentSpanId?: string;
  knownSpanIds?: readonly string[];
}

/**
 * Path of the API's untraced `GET /traces/:traceId`, which waits up to
 * `waitMs` for the trace to be complete in Jaeger. The id is encoded, so it
 * stays one path segment whatever it holds. Known spans past the API's limit
 * are left out (the first, the action's, is kept).
 */
export function tracePath(
  traceId: string,
  waitMs: number,
  { parentSpanId, knownSpanIds = [] }: TraceQuery = {},
): string {
  let query = `wait_ms=${Math.max(0, Math.round(waitMs))}`;
  if (parentSpanId !== undefined) query += `&parent_span_id=${encodeURIComponent(parentSpanId)}`;
  if (knownSpanIds.length > 0)
    query += `&span_ids=${knownSpanIds.slice(0, MAX_SPAN_ID_LIST).map(encodeURIComponent).join(',')}`;
  return `/traces/${encodeURIComponent(traceId)}?${query}`;
}

/** Path of the API's untraced `GET /status`. */
export const STATUS_PATH = '/status';

/**
 * Path of the API's untraced `GET /traces` (the trace list): the newest
 * `limit` traces of the last `lookbackMinutes`, only those with a span of
 * `service` when one is given (encoded: a service name may hold anything).
 */
export function traceListPath({
  service,
  limit,
  lookbackMinutes,
}: {
  service?: string;
  limit: number;
  lookbackMinutes: number;
}): string {
  const query = new URLSearchParams();
  if (service !== undefined && service !== '') query.set('service', service);
  query.set('limit', String(Math.max(1, Math.round(limit))));
  query.set('lookback_minutes', String(Math.max(1, Math.round(lookbackMinutes))));
  return `/traces?${query}`;
}

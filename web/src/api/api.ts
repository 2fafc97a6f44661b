import { context, isSpanContextValid, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { appConfig } from '../config';
import { describeNetworkError } from './messages';
import { apiUrl } from './paths';
import { traceContextFromServerTiming } from './server-timing';

export interface ApiFetchOptions {
  signal?: AbortSignal;
}

export interface ApiResponse {
  /** HTTP status code. */
  status: number;
  /** True for a 2xx status. */
  ok: boolean;
  statusText: string;
  /** Parsed JSON when the response is JSON, otherwise the text ('' when empty). */
  body: unknown;
  /**
   * Trace the request belongs to: the active span's trace when the call was
   * made (the user action's, see user-action.ts), or undefined outside a trace.
   */
  traceId: string | undefined;
  /**
   * Trace id the API says it served the request in (its `Server-Timing`
   * header); equal to `traceId` when propagation works.
   */
  serverTraceId: string | undefined;
  /** The span the API answered under (its SERVER span), from the same header. */
  serverSpanId: string | undefined;
  /** The browser's fetch span: the parent id of the `traceparent` the request carried. */
  fetchSpanId: string | undefined;
}

/** The request got no response: API down, connection refused, CORS refusal. */
export class ApiNetworkError extends Error {
  override name = 'ApiNetworkError';
  readonly url: string;
  /** The browser's fetch span of the request, which is traced all the same. */
  readonly fetchSpanId: string | undefined;

  constructor(url: string, fetchSpanId: string | undefined, options?: ErrorOptions) {
    super(describeNetworkError(appConfig.apiUrl), options);
    this.url = url;
    this.fetchSpanId = fetchSpanId;
  }
}

export type ApiFetch = (path: string, options?: ApiFetchOptions) => Promise<ApiResponse>;

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (text !== '' && /[/+]json\b/i.test(type)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not the JSON it claims to be: show it as text.
    }
  }
  return text;
}

/** The parent span id of a `traceparent` value, read by the registered propagator; undefined if none. */
function parentSpanIdOf(traceparent: string | null): string | undefined {
  if (traceparent === null) return undefined;
  const sent = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent }));
  return sent && isSpanContextValid(sent) ? sent.spanId : undefined;
}

/**
 * GET `path` on the API (resolved against VITE_API_URL). Resolves for every
 * HTTP status; rejects with ApiNetworkError when no response arrives, or with
 * the AbortError when `signal` aborts.
 *
 * `fetch` is called synchronously, before the first `await`, so it sees the
 * context active at the call: the fetch instrumentation makes its client span a
 * child of it and sends that span's `traceparent` to the API. Call it through
 * the `fetch` of runUserAction (user-action.ts), which sets that context.
 */
export const apiFetch: ApiFetch = async (path, { signal } = {}) => {
  const url = apiUrl(appConfig.apiUrl, path);
  const active = trace.getSpanContext(context.active());
  const traceId = active && isSpanContextValid(active) ? active.traceId : undefined;

  const request = new Request(url, { signal, headers: { accept: 'application/json' } });
  let response: Response;
  let fetchSpanId: string | undefined;
  try {
    // `globalThis.fetch` is looked up at each call, so the instrumented one is
    // used; it injects traceparent synchronously, before its first await.
    const answer = fetch(request);
    fetchSpanId = parentSpanIdOf(request.headers.get('traceparent'));
    response = await answer;
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiNetworkError(url.href, fetchSpanId, { cause: error });
  }
  let body: unknown;
  try {
    body = await readBody(response);
  } catch (error) {
    // The connection broke while the body was streaming.
    if (signal?.aborted) throw error;
    throw new ApiNetworkError(url.href, fetchSpanId, { cause: error });
  }
  // Readable cross-origin only because the API lists it in Access-Control-Expose-Headers.
  const server = traceContextFromServerTiming(response.headers.get('server-timing'));
  return {
    status: response.status,
    ok: response.ok,
    statusText: response.statusText,
    body,
    traceId,
    serverTraceId: server?.traceId,
    serverSpanId: server?.spanId,
    fetchSpanId,
  };
};

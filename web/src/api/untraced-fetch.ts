/**
 * GET of the API's two untraced helper routes (`/traces/:traceId`,
 * `/status`). Never through runUserAction's bound fetch: these requests
 * belong to no user action. They run in the ROOT context, so even if the
 * fetch instrumentation did not ignore their URLs (tracing-urls.ts), no span
 * of theirs could join the trace of the action the page is drawing.
 */
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { describeNetworkError } from './messages';
import { apiUrl } from './paths';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type JsonAnswer =
  | { kind: 'answer'; status: number; ok: boolean; statusText: string; body: unknown }
  | { kind: 'network-error'; message: string }
  | { kind: 'timeout'; message: string };

export interface UntracedGetOptions {
  /** Aborts the request; the promise then rejects with the AbortError. */
  signal?: AbortSignal;
  /** Gives up after this long with `{ kind: 'timeout' }`. */
  timeoutMs: number;
  /** For tests; `globalThis.fetch` looked up at each call otherwise. */
  fetchImpl?: FetchLike;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * GET `path` on the API. Resolves with the status and the parsed body for
 * every HTTP answer, or with what went wrong when none came (network error,
 * timeout); rejects only with the AbortError when `signal` aborts.
 */
export async function untracedGet(
  base: string,
  path: string,
  { signal, timeoutMs, fetchImpl = (input, init) => globalThis.fetch(input, init) }: UntracedGetOptions,
): Promise<JsonAnswer> {
  const url = apiUrl(base, path).href;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await context.with(ROOT_CONTEXT, () =>
      fetchImpl(url, { signal: controller.signal, headers: { accept: 'application/json' } }),
    );
    const body = await readJson(response);
    return {
      kind: 'answer',
      status: response.status,
      ok: response.ok,
      statusText: response.statusText,
      body,
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timedOut)
      return { kind: 'timeout', message: `No answer from ${url} within ${formatSeconds(timeoutMs)}.` };
    return { kind: 'network-error', message: describeNetworkError(base) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

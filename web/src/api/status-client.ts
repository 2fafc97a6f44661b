/**
 * Asks the API's untraced `GET /status` whether the Collector, Jaeger and the
 * inventory are reachable. Unit-tested in test/api/status-client.test.ts.
 */
import { describeHttpError } from './messages';
import { STATUS_PATH } from './paths';
import type { StackStatus } from './trace-view-parse';
import type { FetchLike } from './untraced-fetch';
import { untracedGet } from './untraced-fetch';

/** How often the status strip asks. */
export const STATUS_POLL_MS = 5_000;
const STATUS_TIMEOUT_MS = 4_000;

export type StatusLoad = { kind: 'loaded'; status: StackStatus } | { kind: 'failed'; message: string };

/** The stack's status, or why it is unknown. Rejects only with the AbortError when `signal` aborts. */
export async function loadStatus(
  apiBase: string,
  { signal, fetchImpl }: { signal?: AbortSignal; fetchImpl?: FetchLike } = {},
): Promise<StatusLoad> {
  const answer = await untracedGet(apiBase, STATUS_PATH, { signal, timeoutMs: STATUS_TIMEOUT_MS, fetchImpl });
  if (answer.kind !== 'answer') return { kind: 'failed', message: answer.message };
  if (!answer.ok)
    return { kind: 'failed', message: describeHttpError(answer.status, answer.body, answer.statusText) };
  // The contract's checker is a chunk of its own (see trace-view-parse.ts).
  const { ContractError, parseStackStatus } = await import('./trace-view-parse');
  try {
    return { kind: 'loaded', status: parseStackStatus(answer.body) };
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    return { kind: 'failed', message: error.message };
  }
}

/**
 * Why the page should not ask for a trace right now, or undefined: when the
 * last status says the Collector or Jaeger is unreachable, the trace cannot
 * be complete in Jaeger, and asking would only wait, then fail (a 404 or a
 * 503, each logged by the browser as a console error). An unknown status
 * blocks nothing.
 */
export function traceBlockedReason(load: StatusLoad | undefined): string | undefined {
  if (load?.kind !== 'loaded') return undefined;
  const { collector, jaeger } = load.status;
  if (!collector.reachable && !jaeger.reachable)
    return 'the Collector and Jaeger are unreachable, so no span can reach Jaeger now';
  if (!collector.reachable) return 'the Collector is unreachable, so the spans cannot reach Jaeger now';
  if (!jaeger.reachable) return 'Jaeger is unreachable';
  return undefined;
}

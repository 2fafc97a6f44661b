/**
 * The one poller that waits for a trace to be complete, over any
 * {@link TraceSource}. Used by the assertions (wait.ts) and by the API's trace
 * route alike. Plain ECMAScript: no `node:` module, no Playwright.
 *
 * Spans arrive in a backend in pieces: the browser batches and flushes its
 * spans on its own schedule, each service flushes its own, and the Collector
 * batches them all. "The trace exists" is therefore not "the trace is
 * complete"; {@link pollTrace} polls until the caller's idea of complete holds
 * AND the span count has stopped moving.
 */
import { sourceOf } from './jaeger.ts';
import type { SourceOption } from './jaeger.ts';
import type { Trace } from './model.ts';
import type { FetchTraceResult } from './source.ts';

/** How long the last poll, started at the deadline, may take to answer. */
const REQUEST_GRACE_MS = 1000;

/** What {@link pollTrace} is given besides the source. */
export interface PollSettings {
  traceId: string;
  /** Stop polling after this long. */
  timeoutMs: number;
  /** Pause between polls. */
  intervalMs: number;
  /** This many consecutive polls must see the same span count. Default 2 (1 disables the check). */
  stablePolls?: number;
  /** What else makes the trace complete, e.g. "every expected span is there". Default: nothing else. */
  isComplete?: (trace: Trace) => boolean;
  /**
   * What a failed request does: `retry` remembers the error and polls on (a
   * test's backend may still be starting); `stop` returns at once (a page must
   * hear now that the backend is down, not after the whole wait). Default `retry`.
   */
  onError?: 'retry' | 'stop';
  /**
   * How long one request may take. Default: what is left of `timeoutMs`, and
   * at least a second, so the poll made right at the deadline still gets a
   * fair chance to answer.
   */
  requestTimeoutMs?: number;
  /** Aborts the polling: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The source (or Jaeger's URL), and how to poll it. */
export type PollTraceOptions = PollSettings & SourceOption;

export interface PollTraceResult {
  /** True when the last poll saw a complete trace with a span count confirmed stable. */
  complete: boolean;
  /** The last trace seen, even if later polls failed or found nothing; undefined if none ever came. */
  last: FetchTraceResult | undefined;
  /** Number of requests made to the source. */
  polls: number;
  waitedMs: number;
  /**
   * Epoch ms of the first poll that already saw the final trace (complete,
   * the final span count): when the trace became complete, as opposed to when
   * its stability was confirmed one or more polls later. Undefined unless complete.
   */
  completedAt: number | undefined;
  /** The last failed request's error, and the poll (1-based) it failed on. */
  lastError: unknown;
  lastErrorPoll: number;
  /** Span count of the last poll (0 for not found, -1 when it failed), and how many polls in a row saw it. */
  lastCount: number;
  sameCountPolls: number;
}

/**
 * Polls the source's `fetchTrace` every `intervalMs` until the trace is complete
 * (`isComplete` holds, and the span count was the same for `stablePolls`
 * consecutive polls) or `timeoutMs` has passed, and says what it saw. Never
 * throws for the source's sake (see `onError`); aborting `signal` rejects with
 * the signal's reason.
 */
export async function pollTrace(options: PollTraceOptions): Promise<PollTraceResult> {
  const { traceId, signal, intervalMs } = options;
  const source = sourceOf(options);
  const stablePolls = Math.max(1, options.stablePolls ?? 2);
  const isComplete = options.isComplete ?? (() => true);
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const result: PollTraceResult = {
    complete: false,
    last: undefined,
    polls: 0,
    waitedMs: 0,
    completedAt: undefined,
    lastError: undefined,
    lastErrorPoll: 0,
    lastCount: -1,
    sameCountPolls: 0,
  };
  const done = (): PollTraceResult => ({ ...result, waitedMs: Math.round(performance.now() - started) });

  for (;;) {
    signal?.throwIfAborted();
    result.polls += 1;
    // A hanging request must not hang the caller. (AbortSignal.timeout only takes whole milliseconds.)
    const requestTimeoutMs =
      options.requestTimeoutMs ?? Math.ceil(Math.max(deadline - performance.now(), REQUEST_GRACE_MS));
    let current: FetchTraceResult | undefined;
    let answered = false;
    try {
      current = await source.fetchTrace(traceId, { signal, timeoutMs: requestTimeoutMs });
      answered = true;
    } catch (error) {
      signal?.throwIfAborted();
      result.lastError = error;
      result.lastErrorPoll = result.polls;
      // Unknown count: stability has to be proven again from scratch.
      result.lastCount = -1;
      result.sameCountPolls = 0;
      result.completedAt = undefined;
      if (options.onError === 'stop') return done();
    }
    if (answered) {
      if (current) result.last = current;
      const count = current?.trace.spans.length ?? 0;
      result.sameCountPolls = count === result.lastCount ? result.sameCountPolls + 1 : 1;
      result.lastCount = count;
      const complete = current !== undefined && isComplete(current.trace);
      if (!complete) result.completedAt = undefined;
      else if (result.sameCountPolls === 1 || result.completedAt === undefined)
        result.completedAt = Date.now();
      if (complete && result.sameCountPolls >= stablePolls) {
        result.complete = true;
        return done();
      }
    }

    const left = deadline - performance.now();
    if (left <= 0) {
      result.completedAt = undefined;
      return done();
    }
    await sleep(Math.min(intervalMs, left), signal);
  }
}

/** setTimeout as a promise that rejects with `signal`'s reason when it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

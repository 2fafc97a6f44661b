import { useCallback, useEffect, useState } from 'react';
import type { TraceLoad } from '../api/trace-client';
import { loadTrace } from '../api/trace-client';
import { pageParentSpanId } from '../telemetry/page-trace-context';

export type TraceLoadState =
  | { phase: 'idle' }
  /** Not asked: `reason` says why (see traceBlockedReason). */
  | { phase: 'blocked'; reason: string }
  | { phase: 'loading' }
  | { phase: 'done'; load: TraceLoad };

/**
 * Loads the trace `traceId` (null: none) through the API, complete once it
 * holds every span of `knownSpanIds`, unless `blockedBy` gives a reason not to
 * ask (and `loadAnyway` was not called). A new trace id or `retry()` aborts
 * the request in flight and asks again.
 */
export function useTraceLoad(
  apiBase: string,
  traceId: string | null,
  knownSpanIds: readonly string[],
  blockedBy: string | undefined,
): { state: TraceLoadState; retry: () => void; loadAnyway: () => void } {
  const [attempt, setAttempt] = useState(0);
  /** The trace the user asked to load despite `blockedBy`. */
  const [forced, setForced] = useState<string | null>(null);
  const [result, setResult] = useState<{ key: string; load: TraceLoad } | null>(null);

  const key = traceId === null ? null : `${traceId}#${attempt}`;
  const blocked = traceId !== null && blockedBy !== undefined && forced !== traceId;
  // One string for the effect's dependencies: a new array with the same ids is the same request.
  const known = knownSpanIds.join(',');

  useEffect(() => {
    if (traceId === null || blocked) return;
    const controller = new AbortController();
    const requestKey = `${traceId}#${attempt}`;
    const parentSpanId = pageParentSpanId(document, traceId);
    const knownIds = known === '' ? [] : known.split(',');
    loadTrace(apiBase, traceId, { signal: controller.signal, parentSpanId, knownSpanIds: knownIds }).then(
      (load) => setResult({ key: requestKey, load }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const message = error instanceof Error ? error.message : String(error);
        setResult({ key: requestKey, load: { kind: 'failed', message: `Unexpected error: ${message}` } });
      },
    );
    return () => controller.abort();
  }, [apiBase, traceId, known, attempt, blocked]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const loadAnyway = useCallback(() => {
    setForced(traceId);
    setAttempt((n) => n + 1);
  }, [traceId]);

  let state: TraceLoadState;
  if (traceId === null) state = { phase: 'idle' };
  else if (result !== null && result.key === key) state = { phase: 'done', load: result.load };
  else if (blocked) state = { phase: 'blocked', reason: blockedBy };
  else state = { phase: 'loading' };
  return { state, retry, loadAnyway };
}

import type { JaegerUiKind } from '@tracing-demo/contracts';
import { TRACE_WAIT_MS } from '../api/trace-client';
import type { KnownSpan } from '../telemetry/known-span';
import { TraceLink } from '../trace-list/TraceLink';
import { missingSpansText } from './missing-spans';
import { useTraceLoad } from './use-trace-load';
import { Waterfall } from './Waterfall';

/** The trace to draw: the last action's (the first one of a burst), or one opened in the trace list. */
export interface TraceTarget {
  traceId: string;
  /** What made it: the action, or the root span's name; unknown for a trace opened from a link. */
  action?: string;
  /** Spans the action is known to have made: the trace is not complete without them. */
  knownSpans?: readonly KnownSpan[];
}

const NO_KNOWN_SPANS: readonly KnownSpan[] = [];

/** Id of the panel's heading, which takes focus when the trace list opens a trace. */
export const TRACE_PANEL_TITLE_ID = 'trace-title';

interface TracePanelProps {
  target: TraceTarget | null;
  /** Name of the action in flight, if any. */
  pending: string | null;
  apiUrl: string;
  jaegerUrl: string;
  /** What Jaeger serves at its UI root; undefined until known. */
  jaegerUi: JaegerUiKind | undefined;
  /** Why the trace should not be asked for now (see traceBlockedReason), if anything. */
  blockedBy: string | undefined;
  /** Drawn in the trace list: no link to the trace list, which is where it already is. */
  inTraceList?: boolean;
}

/**
 * The last action's trace: asks the API for it once the action has its
 * answer, says it is waiting until Jaeger holds the whole trace, then draws
 * it, or says clearly why it cannot.
 */
export function TracePanel({
  target,
  pending,
  apiUrl,
  jaegerUrl,
  jaegerUi,
  blockedBy,
  inTraceList = false,
}: TracePanelProps) {
  const knownSpans = target?.knownSpans ?? NO_KNOWN_SPANS;
  const { state, retry, loadAnyway } = useTraceLoad(
    apiUrl,
    target?.traceId ?? null,
    knownSpans.map((span) => span.spanId),
    blockedBy,
  );

  const dataState = state.phase === 'done' ? state.load.kind : state.phase;
  let message: string;
  let failed = false;
  let action: { label: string; run: () => void } | undefined;
  switch (state.phase) {
    case 'idle':
      message =
        pending !== null
          ? `The trace is drawn once ${pending} has its answer.`
          : 'After an action, its trace is drawn here.';
      break;
    case 'blocked':
      message = `Not asking for the trace: ${state.reason} (see the status strip). It loads by itself once that changes.`;
      action = { label: 'Load anyway', run: loadAnyway };
      break;
    case 'loading':
      message = 'Waiting for the complete trace…';
      break;
    case 'done': {
      const { load } = state;
      if (load.kind === 'loaded') {
        if (load.trace.complete) {
          message = 'The trace is complete.';
        } else {
          const missing = missingSpansText(load.trace, knownSpans);
          message = `The trace may be incomplete: Jaeger did not have all of its spans within ${TRACE_WAIT_MS / 1000} s${missing === undefined ? '' : `; missing ${missing}`}. They may have been lost, still be on their way, or (with tail sampling on) sampled out. Showing the spans found so far.`;
          action = { label: 'Check again', run: retry };
        }
      } else {
        message = load.message;
        failed = true;
        action = { label: 'Try again', run: retry };
      }
      break;
    }
  }

  return (
    <section
      className="card trace-panel"
      aria-labelledby={TRACE_PANEL_TITLE_ID}
      aria-busy={state.phase === 'loading'}
      data-testid="trace-panel"
      data-state={dataState}
      data-trace-id={target?.traceId}
    >
      {/* Focusable from code: the trace list moves focus here when a row opens a trace. */}
      <h2 id={TRACE_PANEL_TITLE_ID} tabIndex={-1}>
        Trace
      </h2>
      {target !== null && (
        <p className="trace-meta">
          <span>
            {target.action === undefined ? (
              'Trace'
            ) : (
              <>
                Trace of <code>{target.action}</code>
              </>
            )}
            :{' '}
            <code className="trace-id" data-testid="waterfall-trace-id">
              {target.traceId}
            </code>
          </span>{' '}
          {(jaegerUi === 'real' || !inTraceList) && (
            <TraceLink
              traceId={target.traceId}
              jaegerUrl={jaegerUrl}
              jaegerUi={jaegerUi}
              text="Open this trace"
              testId="trace-jaeger-link"
            />
          )}
        </p>
      )}
      <div className="trace-state">
        <p
          className={failed ? 'error' : state.phase === 'idle' ? 'hint' : 'trace-message'}
          role="status"
          data-testid="trace-status"
        >
          {message}
        </p>
        {action !== undefined && (
          <button type="button" className="secondary" data-testid="trace-retry" onClick={action.run}>
            {action.label}
          </button>
        )}
      </div>
      {state.phase === 'done' && state.load.kind === 'loaded' && (
        <Waterfall key={state.load.trace.traceId} trace={state.load.trace} />
      )}
    </section>
  );
}

import type { JaegerUiKind } from '@tracing-demo/contracts';
import type { Outcome } from '../outcome';
import { TraceLink } from '../trace-list/TraceLink';

interface ResultPanelProps {
  /** Name of the action in flight, if any. */
  pending: string | null;
  outcome: Outcome | null;
  jaegerUrl: string;
  /** What Jaeger serves at its UI root; undefined until known. */
  jaegerUi: JaegerUiKind | undefined;
}

function formatBody(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

/** Status, body and trace of the last action, with a link to the trace in Jaeger (or the trace list). */
export function ResultPanel({ pending, outcome, jaegerUrl, jaegerUi }: ResultPanelProps) {
  return (
    <section
      className="result"
      aria-labelledby="result-title"
      aria-live="polite"
      aria-busy={pending !== null}
    >
      <h2 id="result-title">Result</h2>
      {pending !== null ? (
        <p className="hint">Waiting for {pending}…</p>
      ) : outcome === null ? (
        <p className="hint">Press a button: the answer and its trace show up here.</p>
      ) : (
        <>
          {outcome.error !== undefined && (
            <p className="error" role="alert" data-testid="error-message">
              {outcome.error}
            </p>
          )}
          <dl>
            <dt>Action</dt>
            <dd>
              <code>{outcome.action}</code>
            </dd>
            {outcome.kind === 'response' && (
              <>
                <dt>HTTP status</dt>
                <dd>
                  <span
                    className={outcome.response.ok ? 'status ok' : 'status failed'}
                    data-testid="result-status"
                  >
                    {outcome.response.status}
                  </span>
                </dd>
              </>
            )}
            {outcome.traceId !== undefined && (
              <>
                <dt>Trace id</dt>
                <dd>
                  <code data-testid="trace-id">{outcome.traceId}</code>{' '}
                  <TraceLink
                    traceId={outcome.traceId}
                    jaegerUrl={jaegerUrl}
                    jaegerUi={jaegerUi}
                    text="Open trace"
                    testId="jaeger-link"
                  />
                </dd>
              </>
            )}
            {outcome.kind === 'response' && (
              <>
                <dt>Trace id the API reported</dt>
                <dd>
                  <code data-testid="server-trace-id">{outcome.response.serverTraceId ?? 'none'}</code>
                  {outcome.response.serverTraceId !== undefined &&
                    outcome.response.serverTraceId !== outcome.traceId && (
                      <span className="hint"> (differs: the browser&apos;s trace did not reach the API)</span>
                    )}
                </dd>
              </>
            )}
          </dl>
          {outcome.kind === 'response' && (
            <>
              <h3>Body</h3>
              <pre data-testid="result-body">{formatBody(outcome.response.body)}</pre>
            </>
          )}
        </>
      )}
    </section>
  );
}

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

/** Id of the panel's heading, which takes the focus the clicked button lost (ResultColumn.tsx). */
export const RESULT_TITLE_ID = 'result-title';

function formatBody(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

/** Status, body and trace of the last action, with a link to the trace in Jaeger (or the trace list). */
export function ResultPanel({ pending, outcome, jaegerUrl, jaegerUi }: ResultPanelProps) {
  return (
    <section
      className="result"
      aria-labelledby={RESULT_TITLE_ID}
      aria-live="polite"
      aria-busy={pending !== null}
    >
      <h2 id={RESULT_TITLE_ID} tabIndex={-1}>
        Result
      </h2>
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
          <div className="result-outcome">
            <dl>
              <div className="fact">
                <dt>Action</dt>
                <dd>
                  <code>{outcome.action}</code>
                </dd>
              </div>
              {outcome.kind === 'response' && (
                <div className="fact">
                  <dt>HTTP status</dt>
                  <dd>
                    <span
                      className={outcome.response.ok ? 'status ok' : 'status failed'}
                      data-testid="result-status"
                    >
                      {outcome.response.status}
                    </span>
                  </dd>
                </div>
              )}
              {outcome.traceId !== undefined && (
                <div className="fact is-wide">
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
                </div>
              )}
              {outcome.kind === 'response' && (
                <div className="fact is-wide">
                  <dt>Trace id the API reported</dt>
                  <dd>
                    <code data-testid="server-trace-id">{outcome.response.serverTraceId ?? 'none'}</code>
                    {outcome.response.serverTraceId !== undefined &&
                      outcome.response.serverTraceId !== outcome.traceId && (
                        <span className="hint">
                          {' '}
                          (differs: the browser&apos;s trace did not reach the API)
                        </span>
                      )}
                  </dd>
                </div>
              )}
            </dl>
            {outcome.kind === 'response' && (
              <div className="result-body">
                <h3>Body</h3>
                <pre data-testid="result-body">{formatBody(outcome.response.body)}</pre>
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}

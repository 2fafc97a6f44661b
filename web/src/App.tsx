import { lazy, Suspense, useState, useSyncExternalStore } from 'react';
import { SpanStatusCode } from '@opentelemetry/api';
import { appConfig } from './config';
import { runUserAction } from './user-action';
import type { Outcome } from './outcome';
import { failureOutcome, responseOutcome } from './outcome';
import { itemPath } from './api/paths';
import { traceBlockedReason } from './api/status-client';
import { useStackStatus } from './use-stack-status';
import type { KnownSpan } from './telemetry/known-span';
import { UserActionError } from './user-action';
import { RootAction } from './components/RootAction';
import { ItemForm } from './components/ItemForm';
import { ResultPanel } from './components/ResultPanel';
import { ResultColumn } from './components/ResultColumn';
import { ScenarioActions } from './scenarios/ScenarioActions';
import { SCENARIO_ITEM, slowItemPath } from './scenarios/scenarios';
import { throwUncaught } from './scenarios/uncaught';
import { StatusStrip } from './components/StatusStrip';
import type { TraceTarget } from './waterfall/TracePanel';
import { TracePanel } from './waterfall/TracePanel';
import type { ApiFetch, ApiResponse } from './api/api';
import { ACTIONS_HREF, traceListHref } from './trace-list/route';
import { usePageRoute } from './trace-list/use-page-route';
import { getSessionId, subscribeSessionId } from './telemetry/session-id';

// The trace list is a chunk of its own (its code, styles and the contract's
// checker), fetched the first time it is shown: the actions view never needs it.
const TraceListView = lazy(() => import('./trace-list/TraceListView'));

interface BurstSummary {
  count: number;
  ok: number;
  traceIds: Set<string>;
}

export default function App() {
  /** Name of the action in flight, if any: every control is disabled meanwhile. */
  const [pending, setPending] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [burst, setBurst] = useState<BurstSummary | null>(null);
  /** The trace the waterfall draws: the last action's. */
  const [traceTarget, setTraceTarget] = useState<TraceTarget | null>(null);
  const stackStatus = useStackStatus(appConfig.apiUrl);
  const route = usePageRoute();
  const sessionId = useSyncExternalStore(subscribeSessionId, getSessionId);
  /** What Jaeger serves at its UI root: the trace links go there only if it is the real UI. */
  const jaegerUi = stackStatus?.kind === 'loaded' ? stackStatus.status.jaegerUi : undefined;

  /** Runs one API call as a user action (its own trace) and shows the outcome. */
  function run(action: string, path: string): Promise<void> {
    return runCalls(action, (fetch) => fetch(path));
  }

  /**
   * Runs `calls` as ONE user action and shows the last response. Every fetch
   * goes through the action's bound `fetch`, so calls made after an `await`
   * stay in the action's trace (see user-action.ts).
   */
  async function runCalls(action: string, calls: (fetch: ApiFetch) => Promise<ApiResponse>): Promise<void> {
    setPending(action);
    setTraceTarget(null);
    let shown: Outcome;
    let knownSpans: KnownSpan[];
    try {
      const done = await runUserAction(action, async ({ fetch, span }) => {
        const response = await calls(fetch);
        const next = responseOutcome(action, response, span.spanContext().traceId);
        // A non-2xx answer is a failed user action, though not an exception.
        if (next.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: next.error });
        return next;
      });
      shown = done.result;
      knownSpans = done.knownSpans;
    } catch (error) {
      shown = failureOutcome(action, error);
      knownSpans = error instanceof UserActionError ? error.knownSpans : [];
    }
    setOutcome(shown);
    // A failed action has a trace too (its user action span at least), unless nothing started.
    setTraceTarget(shown.traceId === undefined ? null : { traceId: shown.traceId, action, knownSpans });
    setPending(null);
  }

  /** `count` user actions at once: each is its own trace, none may leak into another. */
  async function runBurst(count: number): Promise<void> {
    const action = `burst of ${count}`;
    setPending(action);
    setBurst(null);
    setTraceTarget(null);
    const results = await Promise.allSettled(
      Array.from({ length: count }, (_, index) =>
        runUserAction(`burst ${index + 1}`, ({ fetch }) => fetch(itemPath(String(index + 1), 'burst'))),
      ),
    );
    const traceIds = new Set<string>();
    let ok = 0;
    for (const result of results) {
      if (result.status === 'fulfilled') {
        traceIds.add(result.value.traceId);
        if (result.value.result.ok) ok += 1;
      }
    }
    // The waterfall draws one trace of the burst: the first action that got
    // an answer, else the first that failed (its user action span is traced too).
    const traceOf = (result: (typeof results)[number]) =>
      result.status === 'fulfilled'
        ? result.value
        : result.reason instanceof UserActionError
          ? result.reason
          : undefined;
    let shown = results.findIndex((result) => result.status === 'fulfilled');
    if (shown < 0) shown = results.findIndex((result) => traceOf(result) !== undefined);
    const shownTrace = shown < 0 ? undefined : traceOf(results[shown]!);
    setBurst({ count, ok, traceIds });
    setTraceTarget(
      shownTrace === undefined
        ? null
        : {
            traceId: shownTrace.traceId,
            action: `burst ${shown + 1} of ${count}`,
            knownSpans: shownTrace.knownSpans,
          },
    );
    setPending(null);
  }

  const busy = pending !== null;
  return (
    <main className={`app view-${route.view}`}>
      <header>
        <h1>Browser → API → Collector → Jaeger</h1>
        <p className="lede">
          Each control is one user action: a span of the page (service <code>{appConfig.serviceName}</code>),
          the API&apos;s spans under it, and one trace, drawn with the answer and to open in Jaeger.
        </p>
        <StatusStrip status={stackStatus} sessionId={sessionId} />
        <nav className="views" aria-label="Views">
          <a href={ACTIONS_HREF} aria-current={route.view === 'actions' ? 'page' : undefined}>
            Actions
          </a>
          <a
            href={traceListHref()}
            aria-current={route.view === 'traces' ? 'page' : undefined}
            data-testid="trace-list-link"
          >
            Recent traces
          </a>
        </nav>
      </header>

      {/* Hidden, not unmounted, in the trace list: the forms keep what was typed. */}
      <div className="actions-view" hidden={route.view !== 'actions'}>
        <section className="actions" aria-label="API routes">
          <RootAction disabled={busy} onRun={() => run('GET /', '/')} />
          <ItemForm disabled={busy} onRun={(id, q) => run('GET /items/{id}', itemPath(id, q))} />
          <ScenarioActions
            disabled={busy}
            onScenario={(scenario) => run(scenario.action, scenario.path)}
            onSlow={(delayMs) => run('slow downstream', slowItemPath(delayMs))}
            onSequence={() =>
              runCalls('GET / then GET /items/5', async (fetch) => {
                await fetch('/');
                // After this await zone.js no longer knows the action's span;
                // the bound fetch restores it, so this call joins the same trace.
                return fetch(itemPath(SCENARIO_ITEM, 'somequery'));
              })
            }
            onUncaught={() =>
              runCalls('error after the answer', async (fetch) => {
                const response = await fetch('/');
                await throwUncaught();
                return response;
              })
            }
            onBurst={runBurst}
          />
        </section>

        {/* After the controls in the page's order, so the keyboard reaches them first. */}
        <ResultColumn pending={pending}>
          {burst !== null && (
            <p className="hint" data-testid="burst-summary" aria-live="polite">
              Burst: {burst.ok} of {burst.count} answered 2xx, in {burst.traceIds.size} distinct traces.
            </p>
          )}

          <ResultPanel
            pending={pending}
            outcome={outcome}
            jaegerUrl={appConfig.jaegerUrl}
            jaegerUi={jaegerUi}
          />

          {/* One trace panel on the page at a time: the trace list draws its own. */}
          {route.view === 'actions' && (
            <TracePanel
              target={traceTarget}
              pending={pending}
              apiUrl={appConfig.apiUrl}
              jaegerUrl={appConfig.jaegerUrl}
              jaegerUi={jaegerUi}
              blockedBy={traceBlockedReason(stackStatus)}
            />
          )}
        </ResultColumn>
      </div>

      {route.view === 'traces' && (
        <Suspense fallback={<p className="hint">Loading the trace list…</p>}>
          <TraceListView
            apiUrl={appConfig.apiUrl}
            jaegerUrl={appConfig.jaegerUrl}
            jaegerUi={jaegerUi}
            openTraceId={route.traceId}
            blockedBy={traceBlockedReason(stackStatus)}
          />
        </Suspense>
      )}

      <footer>
        API <code>{appConfig.apiUrl}</code> · spans to <code>{appConfig.otlpTracesUrl}</code>
      </footer>
    </main>
  );
}

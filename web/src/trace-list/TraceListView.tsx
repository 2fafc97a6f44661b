import { useEffect, useId, useRef, useState } from 'react';
import type { JaegerUiKind, TraceList } from '@tracing-demo/contracts';
import { formatDuration } from '../waterfall/format';
import { TRACE_PANEL_TITLE_ID, TracePanel } from '../waterfall/TracePanel';
import { traceListHref } from './route';
import {
  loadTraceList,
  TRACE_LIST_LIMIT,
  TRACE_LIST_LIMITS,
  TRACE_LIST_WINDOW,
  type TraceListLoad,
} from './trace-list-client';
import { countLabel, formatStartTime } from './trace-list-format';
import './TraceList.css';

/** Moves the keyboard focus to the trace panel's heading, just above the waterfall it opened. */
function focusPanelTitle(): void {
  document.getElementById(TRACE_PANEL_TITLE_ID)?.focus();
}

interface TraceListViewProps {
  apiUrl: string;
  jaegerUrl: string;
  jaegerUi: JaegerUiKind | undefined;
  /** The trace opened from the URL (`#/traces/<id>`), if any. */
  openTraceId: string | null;
  /** Why the opened trace should not be asked for now (see traceBlockedReason), if anything. */
  blockedBy: string | undefined;
}

/**
 * The newest traces Jaeger holds, of every service or of one (the filter
 * lists the services Jaeger reports, `e2e` included once tests traced
 * themselves). Each line is a link to `#/traces/<id>`, which opens that trace
 * in the same trace panel and waterfall the actions view draws. Loaded when
 * shown, when the filter changes, and on Refresh; never polled by itself, so
 * the lines do not move under the pointer or the keyboard focus. Loaded
 * lazily (App.tsx): the first paint does not need it.
 */
export default function TraceListView({
  apiUrl,
  jaegerUrl,
  jaegerUi,
  openTraceId,
  blockedBy,
}: TraceListViewProps) {
  const [service, setService] = useState('');
  const [limit, setLimit] = useState<number>(TRACE_LIST_LIMIT);
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<{ key: string; load: TraceListLoad } | null>(null);
  /** The last list that loaded, shown while the next one loads. */
  const [shown, setShown] = useState<TraceList | null>(null);
  /** Set when a line is activated: the trace panel's heading then takes focus. */
  const focusPanel = useRef(false);
  const filterId = useId();
  const limitId = useId();

  const key = `${service}#${limit}#${attempt}`;
  useEffect(() => {
    const controller = new AbortController();
    const requestKey = `${service}#${limit}#${attempt}`;
    loadTraceList(apiUrl, { service, limit, signal: controller.signal }).then(
      (load) => {
        setResult({ key: requestKey, load });
        if (load.kind === 'loaded') setShown(load.list);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const message = error instanceof Error ? error.message : String(error);
        setResult({ key: requestKey, load: { kind: 'failed', message: `Unexpected error: ${message}` } });
      },
    );
    return () => controller.abort();
  }, [apiUrl, service, limit, attempt]);

  useEffect(() => {
    if (openTraceId === null || !focusPanel.current) return;
    focusPanel.current = false;
    focusPanelTitle();
  }, [openTraceId]);

  const loading = result?.key !== key;
  const failure = !loading && result.load.kind !== 'loaded' ? result.load.message : undefined;
  const traces = shown?.traces ?? [];
  // The service asked for stays a choice even if Jaeger stops reporting it.
  const services = [...new Set([...(shown?.services ?? []), ...(service === '' ? [] : [service])])].sort();
  const opened = traces.find((trace) => trace.traceId === openTraceId);

  return (
    <>
      <section
        className="card trace-list-view"
        aria-labelledby="trace-list-title"
        aria-busy={loading}
        data-testid="trace-list"
        data-state={loading ? 'loading' : result.load.kind}
        data-service={service}
      >
        <h2 id="trace-list-title">Recent traces</h2>
        <p className="hint">
          The newest traces of the last {TRACE_LIST_WINDOW.label} in Jaeger, every service&apos;s or
          one&apos;s. Open one to draw its waterfall.
          {jaegerUi === 'placeholder' && (
            <> This Jaeger serves no UI (it was built without the UI&apos;s assets), so traces open here.</>
          )}
        </p>
        <div className="tl-controls">
          <label htmlFor={filterId}>Service</label>
          <select
            id={filterId}
            data-testid="trace-list-service"
            value={service}
            onChange={(event) => setService(event.target.value)}
          >
            <option value="">All services</option>
            {services.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          <label htmlFor={limitId}>Show</label>
          <select
            id={limitId}
            data-testid="trace-list-limit"
            value={limit}
            onChange={(event) => setLimit(Number(event.target.value))}
          >
            {TRACE_LIST_LIMITS.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="secondary"
            data-testid="trace-list-refresh"
            onClick={() => setAttempt((n) => n + 1)}
          >
            Refresh
          </button>
        </div>
        <p className={failure === undefined ? 'hint' : 'error'} role="status" data-testid="trace-list-status">
          {loading
            ? 'Loading the traces…'
            : failure !== undefined
              ? failure
              : traces.length === 0
                ? `No traces${service === '' ? '' : ` with a span of ${service}`} in the last ${TRACE_LIST_WINDOW.label}.`
                : `${countLabel(traces.length, 'trace')}${service === '' ? '' : ` with a span of ${service}`}, the newest first.`}
        </p>
        {traces.length > 0 && (
          <ol className="tl-rows" aria-label="Traces, the newest first">
            {traces.map((trace) => (
              <li key={trace.traceId}>
                <a
                  className={`tl-row${trace.traceId === openTraceId ? ' is-open' : ''}`}
                  href={traceListHref(trace.traceId)}
                  aria-current={trace.traceId === openTraceId ? 'true' : undefined}
                  data-testid="trace-list-row"
                  data-trace-id={trace.traceId}
                  data-service={trace.service}
                  data-services={trace.services.join(' ')}
                  data-span-count={trace.spanCount}
                  data-error-count={trace.errorCount}
                  onClick={() => {
                    // The same line again changes no URL: focus the panel now.
                    if (trace.traceId === openTraceId) focusPanelTitle();
                    else focusPanel.current = true;
                  }}
                >
                  <span className="tl-name">
                    <span className="tl-service">{trace.service}</span> {trace.rootName}
                  </span>
                  <span className="tl-meta">
                    <time dateTime={new Date(trace.startUnixMs).toISOString()}>
                      {formatStartTime(trace.startUnixMs)}
                    </time>
                    {' · '}
                    {formatDuration(trace.durationMs)}
                    {' · '}
                    {countLabel(trace.spanCount, 'span')}
                    {trace.services.length > 1 && ` · ${trace.services.join(', ')}`}
                    {trace.errorCount > 0 && (
                      <span className="tl-errors"> · ⚠ {countLabel(trace.errorCount, 'error')}</span>
                    )}
                    {!trace.connected && <span className="tl-partial"> · parts missing</span>}
                  </span>
                </a>
              </li>
            ))}
          </ol>
        )}
      </section>
      {openTraceId === null ? (
        <p className="hint" data-testid="trace-list-hint">
          Open a trace above to draw its waterfall here.
        </p>
      ) : (
        <TracePanel
          target={
            opened === undefined
              ? { traceId: openTraceId }
              : { traceId: openTraceId, action: opened.rootName }
          }
          pending={null}
          apiUrl={apiUrl}
          jaegerUrl={jaegerUrl}
          jaegerUi={jaegerUi}
          blockedBy={blockedBy}
          inTraceList
        />
      )}
    </>
  );
}

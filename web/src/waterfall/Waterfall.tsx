import type { CSSProperties, KeyboardEvent } from 'react';
import { useId, useMemo, useState } from 'react';
import type { TraceView } from '@tracing-demo/contracts';
import { formatDuration, formatKind, formatOffset } from './format';
import type { WaterfallRow } from './waterfall-layout';
import { layoutWaterfall } from './waterfall-layout';
import { SpanDetails } from './SpanDetails';

interface WaterfallProps {
  trace: TraceView;
}

/** Deepest indentation drawn; deeper rows keep it (their depth is still in the text). */
const MAX_INDENT = 10;

function rowLabel(row: WaterfallRow): string {
  const parts = [
    formatKind(row.span.kind),
    row.invalidTiming
      ? 'timing unknown'
      : `starts ${formatOffset(row.startMs)}, lasts ${formatDuration(row.durationMs)}`,
    `depth ${row.depth}`,
  ];
  return `, ${parts.join(', ')}`;
}

/** Moves focus between rows with the arrow keys, Home and End. */
function onRowsKeyDown(event: KeyboardEvent<HTMLOListElement>): void {
  const rows = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>('button.wf-row'));
  const current = rows.indexOf((event.target as HTMLElement).closest('button.wf-row') as HTMLButtonElement);
  if (current < 0) return;
  const next =
    event.key === 'ArrowDown'
      ? Math.min(current + 1, rows.length - 1)
      : event.key === 'ArrowUp'
        ? Math.max(current - 1, 0)
        : event.key === 'Home'
          ? 0
          : event.key === 'End'
            ? rows.length - 1
            : undefined;
  if (next === undefined) return;
  event.preventDefault();
  rows[next]?.focus();
}

/**
 * One trace as a waterfall: a row per span in tree order, indented by
 * parent, coloured by service, bars on one time axis; a row is a button that
 * shows the span's details below.
 */
export function Waterfall({ trace }: WaterfallProps) {
  const layout = useMemo(() => layoutWaterfall(trace.spans), [trace.spans]);
  const [selected, setSelected] = useState<number | null>(null);
  const titleId = useId();
  const detailsId = useId();
  const selectedRow = selected === null ? null : (layout.rows[selected] ?? null);

  return (
    <section
      className="waterfall"
      data-testid="waterfall"
      data-trace-id={trace.traceId}
      data-complete={String(trace.complete)}
      data-span-count={layout.rows.length}
      aria-labelledby={titleId}
    >
      <h3 id={titleId}>Waterfall</h3>
      <p className="wf-summary">
        {layout.rows.length} {layout.rows.length === 1 ? 'span' : 'spans'} from {layout.services.length}{' '}
        {layout.services.length === 1 ? 'service' : 'services'}, {formatDuration(layout.totalMs)} from first
        start to last end
        {layout.errorCount > 0 && (
          <>
            {' '}
            · <span className="wf-flag is-error">⚠ {layout.errorCount} with status ERROR</span>
          </>
        )}
      </p>
      <ul className="wf-legend" aria-label="Services">
        {layout.services.map((entry) => (
          <li key={entry.service}>
            <span className={`svc-swatch svc-${entry.serviceIndex}`} aria-hidden="true" />
            {entry.service} ({entry.spanCount})
          </li>
        ))}
      </ul>

      {layout.rows.length === 0 ? (
        <p className="hint">Jaeger returned no spans for this trace.</p>
      ) : (
        <div className="wf-grid">
          <div className="wf-axis" aria-hidden="true">
            <span className="wf-axis-label">Span</span>
            <span className="wf-axis-track">
              {layout.ticks.map((tick) => (
                <span
                  key={tick.ms}
                  className={`wf-tick${tick.pct === 0 ? ' is-first' : tick.pct > 85 ? ' is-last' : ''}`}
                  style={{ left: `${tick.pct}%` }}
                >
                  {formatDuration(tick.ms)}
                </span>
              ))}
            </span>
          </div>
          <ol className="wf-rows" aria-label="Spans in tree order" onKeyDown={onRowsKeyDown}>
            {layout.rows.map((row, index) => {
              const isSelected = selected === index;
              return (
                <li key={`${index}:${row.span.spanId}`}>
                  <button
                    type="button"
                    className={`wf-row svc-${row.serviceIndex}${row.isError ? ' is-error' : ''}${isSelected ? ' is-selected' : ''}`}
                    data-testid="waterfall-row"
                    data-span-id={row.span.spanId}
                    data-service={row.span.service}
                    data-depth={row.depth}
                    data-error={String(row.isError)}
                    aria-current={isSelected ? 'true' : undefined}
                    aria-controls={detailsId}
                    onClick={() => setSelected(index)}
                  >
                    <span
                      className="wf-label"
                      style={{ '--depth': Math.min(row.depth, MAX_INDENT) } as CSSProperties}
                    >
                      <span className="wf-service">{row.span.service}</span>{' '}
                      <span className="wf-name">{row.span.name}</span>
                      <span className="visually-hidden">{rowLabel(row)}</span>
                      {row.isError && <span className="wf-flag is-error"> ⚠ error</span>}
                      {row.orphan && <span className="wf-flag"> parent missing</span>}
                      {row.cycle && <span className="wf-flag"> parent loop</span>}
                      {row.clockSkew ? (
                        <span className="wf-flag"> clock skew</span>
                      ) : (
                        row.startsBeforeParent && <span className="wf-flag"> starts before parent</span>
                      )}
                      <span className="wf-duration" aria-hidden="true">
                        {row.invalidTiming ? '?' : formatDuration(row.durationMs)}
                      </span>
                    </span>
                    <span className="wf-track" aria-hidden="true">
                      <span
                        className="wf-bar"
                        style={{ left: `${row.offsetPct}%`, width: `${row.widthPct}%` }}
                      />
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
        </div>
      )}
      <SpanDetails id={detailsId} row={selectedRow} />
    </section>
  );
}

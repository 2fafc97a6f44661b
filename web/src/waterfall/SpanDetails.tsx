import type { WaterfallRow } from './waterfall-layout';
import { attributeEntries, formatDuration, formatKind, formatOffset, formatStatus } from './format';

interface SpanDetailsProps {
  id: string;
  /** The selected row, or null. */
  row: WaterfallRow | null;
}

function AttributeTable({ attributes, caption }: { attributes: unknown; caption: string }) {
  const entries = attributeEntries(attributes);
  if (entries.length === 0) return <p className="hint">No attributes.</p>;
  return (
    <table className="attributes">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">
              <code>{key}</code>
            </th>
            <td>
              <code>{value}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Everything about the selected span: identity, timing, status, attributes and events. */
export function SpanDetails({ id, row }: SpanDetailsProps) {
  if (row === null) {
    return (
      <section className="span-details" id={id} data-testid="span-details" aria-label="Span details">
        <p className="hint">
          Select a span (click, or Enter on a focused row) to see its attributes and events.
        </p>
      </section>
    );
  }
  const { span } = row;
  const notes: string[] = [];
  if (row.orphan)
    notes.push(`Its parent span ${span.parentSpanId ?? ''} is not in the trace (lost, or not arrived yet).`);
  if (row.cycle) notes.push('Its parent links form a loop; the loop is cut at this span.');
  if (row.duplicateId) notes.push('Another span of the trace has the same id.');
  if (row.invalidTiming) notes.push('Its start time or duration is not usable; the bar is only a marker.');
  if (row.clockSkew)
    notes.push(
      'It starts before its parent, which runs in another service: the two processes’ clocks differ (clock skew). Each bar is drawn at the time its own process recorded.',
    );
  else if (row.startsBeforeParent)
    notes.push(
      'It starts before its parent, in the same service: its start time was set by hand or is wrong.',
    );
  if (row.endsAfterParent)
    notes.push(
      'It ends after its parent: normal when the parent stopped waiting first (a CLIENT span ends when the response headers arrive, while the server is still finishing).',
    );

  return (
    <section
      className="span-details"
      id={id}
      data-testid="span-details"
      data-span-id={span.spanId}
      aria-labelledby={`${id}-title`}
    >
      <h3 id={`${id}-title`}>
        <span className="visually-hidden">Span details: </span>
        {span.name}
      </h3>
      <dl>
        <dt>Service</dt>
        <dd>
          <span className={`svc-swatch svc-${row.serviceIndex}`} aria-hidden="true" /> {span.service}
        </dd>
        <dt>Kind</dt>
        <dd>{formatKind(span.kind)}</dd>
        <dt>Status</dt>
        <dd className={row.isError ? 'status failed' : undefined}>
          {row.isError && <span aria-hidden="true">⚠ </span>}
          {formatStatus(span.status)}
        </dd>
        <dt>Duration</dt>
        <dd>{row.invalidTiming ? 'unknown' : formatDuration(row.durationMs)}</dd>
        <dt>Starts</dt>
        <dd>{row.invalidTiming ? 'unknown' : `${formatOffset(row.startMs)} after the trace’s first span`}</dd>
        <dt>Span id</dt>
        <dd>
          <code>{span.spanId}</code>
        </dd>
        <dt>Parent</dt>
        <dd>{span.parentSpanId === null ? 'none (a root span)' : <code>{span.parentSpanId}</code>}</dd>
      </dl>
      {notes.length > 0 && (
        <ul className="span-notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <h4>Attributes</h4>
      <AttributeTable attributes={span.attributes} caption={`Attributes of ${span.name}`} />
      <h4>Events ({span.events.length})</h4>
      {span.events.length === 0 ? (
        <p className="hint">No events.</p>
      ) : (
        <ol className="span-events">
          {span.events.map((event, index) => (
            <li key={`${index}-${event.name}`}>
              <p>
                <strong>{event.name}</strong>{' '}
                <span className="hint">
                  {formatOffset(event.timeUnixMs - span.startUnixMs)} into the span
                </span>
              </p>
              <AttributeTable
                attributes={event.attributes}
                caption={`Attributes of the event ${event.name}`}
              />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

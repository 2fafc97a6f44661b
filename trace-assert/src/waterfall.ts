/**
 * A plain-text waterfall of a trace, for failure messages and test reports:
 * whoever reads a red CI run should see the whole trace without opening Jaeger.
 */
import type { Trace, TraceSpan } from './model.ts';

export interface WaterfallOptions {
  /** Where to open the trace, printed last. Default `trace.link`; none when neither is set. */
  link?: string;
}

interface Row {
  span: TraceSpan;
  depth: number;
  note?: string;
}

function ms(value: number): string {
  return `${value.toFixed(2)}ms`;
}

function statusText(span: TraceSpan): string {
  if (span.status.code !== 'ERROR') return span.status.code;
  return span.status.message ? `ERROR: ${span.status.message}` : 'ERROR';
}

/**
 * Renders `trace` as an indented text waterfall: one line per span in tree
 * order (children sorted by start time) with service, kind, name, start
 * offset from the trace start, duration and status. ERROR spans are marked
 * with `!` in the first column. Spans whose parent is missing are listed under
 * `orphans (parent not in trace)`. Ends with the trace's link when known.
 */
export function renderWaterfall(trace: Trace, options: WaterfallOptions = {}): string {
  const spans = trace.spans;
  const url = options.link ?? trace.link;
  const link = url === undefined ? [] : [`Open: ${url}`];
  if (spans.length === 0) return [`Trace ${trace.traceId}: no spans`, ...link].join('\n');
  const traceStart = Math.min(...spans.map((s) => s.startMs));
  const traceEnd = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const services = [...new Set(spans.map((s) => s.service))];

  // Objects, not ids, are tracked: a duplicated span id must not print twice or loop.
  const visited = new Set<TraceSpan>();
  const walk = (span: TraceSpan, depth: number, into: Row[], note?: string): void => {
    if (visited.has(span)) return;
    visited.add(span);
    into.push(note === undefined ? { span, depth } : { span, depth, note });
    for (const child of trace.children(span.spanId)) walk(child, depth + 1, into);
  };

  const tree: Row[] = [];
  for (const root of trace.roots()) walk(root, 0, tree);
  const orphans: Row[] = [];
  for (const orphan of trace.orphans()) walk(orphan, 0, orphans, `parent ${orphan.parentSpanId} missing`);
  // Whatever is left hangs off a parent cycle (only possible in corrupt data);
  // listing it keeps the "one line per span" promise.
  const unreachable: Row[] = [];
  for (const span of spans) walk(span, 0, unreachable, `parent ${span.parentSpanId} (cycle)`);

  const label = (row: Row): string =>
    `${'  '.repeat(row.depth)}${row.span.service} ${row.span.kind} ${row.span.name}`;
  const all = [...tree, ...orphans, ...unreachable];
  const labelWidth = Math.max(4, ...all.map((r) => label(r).length));
  const offsets = all.map((r) => `+${ms(r.span.startMs - traceStart)}`);
  const durations = all.map((r) => ms(r.span.durationMs));
  const offsetWidth = Math.max(5, ...offsets.map((o) => o.length));
  const durationWidth = Math.max(8, ...durations.map((d) => d.length));

  const line = (row: Row): string => {
    const gutter = row.span.status.code === 'ERROR' ? '! ' : '  ';
    const cols = [
      label(row).padEnd(labelWidth),
      `+${ms(row.span.startMs - traceStart)}`.padStart(offsetWidth),
      ms(row.span.durationMs).padStart(durationWidth),
      statusText(row.span),
      `span=${row.span.spanId}`,
    ];
    if (row.note !== undefined) cols.push(`(${row.note})`);
    return (gutter + cols.join('  ')).trimEnd();
  };

  const out: string[] = [
    `Trace ${trace.traceId}: ${spans.length} span${spans.length === 1 ? '' : 's'}, ` +
      `services ${services.join(', ')}, ${ms(traceEnd - traceStart)}`,
    `  ${'span'.padEnd(labelWidth)}  ${'start'.padStart(offsetWidth)}  ${'duration'.padStart(durationWidth)}  status`,
    ...tree.map(line),
  ];
  if (orphans.length > 0) out.push('orphans (parent not in trace):', ...orphans.map(line));
  if (unreachable.length > 0) out.push('unreachable (parent cycle):', ...unreachable.map(line));
  return [...out, ...link].join('\n');
}

/**
 * The figures of a run and their three renderings: a console table, a
 * Markdown report and JSON. Pure: unit-tested in test/report.test.ts.
 */
import { summarize, type Summary } from './stats.ts';
import type { Part } from './options.ts';

/** What min/median/max are taken over. */
export type Over = 'rounds' | 'samples' | 'single';

export interface Goal {
  op: '<=' | '>=';
  value: number;
  /** The statistic judged (median unless said otherwise). */
  on: 'median' | 'p95';
  met: boolean;
}

export interface Figure {
  /** Stable key, e.g. `api.root.pinned.rps.ours`; the smoke run checks these are all present. */
  id: string;
  part: Part;
  label: string;
  unit: string;
  over: Over;
  values: number[];
  summary: Summary;
  goal?: Goal;
  note?: string;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryMB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started and when it ended: how busy the machine was. */
  loadStart: number;
  loadEnd: number;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  durationS: number;
  smoke: boolean;
  machine: Machine;
  options: Record<string, unknown>;
  figures: Figure[];
  /** Per-part raw data (autocannon rounds, collector steps, profiles...). */
  details: Record<string, unknown>;
  /** Warnings and caveats gathered during the run. */
  notes: string[];
}

export const PART_TITLES: Record<Part, string> = {
  api: '1. API throughput and latency: tracing off, the tutorial set-up, ours',
  browser: '2. Browser cost of tracing',
  latency: '3. Time to a complete trace',
  start: '4. The stack as a whole: start, memory, Jaeger',
};

/** Display order of the parts in the reports. */
const PART_ORDER: Part[] = ['api', 'browser', 'latency', 'start'];

const ROUTES = ['root', 'item'] as const;

/** The API setups a run measures besides the shared one (api-load.ts's apiSetups). */
export interface ApiSetups {
  pinned: boolean;
  oldNodeMajor?: number;
}

/** Every figure a run of each part must produce. */
export function expectedFigureIds(parts: readonly Part[], setups: ApiSetups): string[] {
  const ids: string[] = [];
  for (const part of parts) {
    switch (part) {
      case 'api': {
        const names = [
          ...(setups.pinned ? ['pinned'] : []),
          'shared',
          ...(setups.oldNodeMajor ? ['old'] : []),
        ];
        for (const route of ROUTES) {
          for (const setup of names) {
            // The tutorial set-up is measured pinned only.
            const traced = setup === 'pinned' ? ['tutorial', 'ours'] : ['ours'];
            for (const mode of ['off', ...traced]) {
              for (const metric of ['rps', 'cpu_us', 'p99'])
                ids.push(`api.${route}.${setup}.${metric}.${mode}`);
            }
            for (const mode of traced) {
              const suffix = mode === 'ours' ? '' : `_${mode}`;
              ids.push(
                `api.${route}.${setup}.rps.ratio${suffix}`,
                `api.${route}.${setup}.cpu_us.ratio${suffix}`,
              );
              ids.push(`api.${route}.${setup}.span_delivery.${mode}`);
            }
            if (setup === 'pinned') ids.push(`api.${route}.pinned.cpu_us.tutorial_vs_ours`);
          }
          if (setups.oldNodeMajor && setups.pinned) {
            ids.push(`api.${route}.runtime.rps_ratio`, `api.${route}.runtime.cpu_ratio`);
          }
        }
        ids.push('stack.rss.load', 'jaeger.rss.load_max', 'jaeger.rss.after_load', 'jaeger.traces_kept');
        break;
      }
      case 'browser':
        for (const build of ['traced', 'untraced']) {
          ids.push(`web.js_gzip.${build}`, `web.task_ms.${build}`, `web.script_ms.${build}`);
        }
        ids.push('web.js_gzip.delta', 'web.task_ms.delta', 'web.script_ms.delta');
        break;
      case 'latency':
        ids.push('trace.complete_ms', 'trace.all_spans_ms');
        break;
      case 'start':
        ids.push('stack.start_s', 'stack.rss.idle');
        break;
    }
  }
  return ids;
}

/** Ids of expected figures that are absent (or have no value) in `figures`. */
export function missingFigures(
  figures: readonly Figure[],
  parts: readonly Part[],
  setups: ApiSetups,
): string[] {
  const present = new Set(figures.filter((f) => f.values.length > 0).map((f) => f.id));
  return expectedFigureIds(parts, setups).filter((id) => !present.has(id));
}

export interface FigureInput {
  id: string;
  part: Part;
  label: string;
  unit: string;
  over: Over;
  values: number[];
  goal?: { op: '<=' | '>='; value: number; on?: 'median' | 'p95' };
  note?: string;
}

/** A figure from its raw values (throws on an empty list: a figure without values is a bug). */
export function figure(input: FigureInput): Figure {
  const { goal, note, ...rest } = input;
  const summary = summarize(input.values);
  const on = goal?.on ?? 'median';
  const judged = summary[on];
  const met = goal ? (goal.op === '>=' ? judged >= goal.value : judged <= goal.value) : false;
  return {
    ...rest,
    values: [...input.values],
    summary,
    ...(goal ? { goal: { op: goal.op, value: goal.value, on, met } } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}

/** A number in the unit's usual precision. */
export function formatValue(value: number, unit: string): string {
  switch (unit) {
    case 'req/s':
    case 'spans/s':
    case 'spans':
    case 'traces':
      return Math.round(value).toLocaleString('en-US');
    case 'ratio':
      return value.toFixed(2);
    case 'ms':
    case 'µs':
      return value >= 100 ? value.toFixed(0) : value.toFixed(1);
    case 's':
      return value.toFixed(2);
    case '%':
    case 'MB':
    case 'KB':
      return value.toFixed(1);
    default:
      return String(Math.round(value * 100) / 100);
  }
}

function goalText(goal: Goal | undefined, unit: string): string {
  if (!goal) return '';
  return `${goal.on} ${goal.op} ${formatValue(goal.value, unit)}: ${goal.met ? 'met' : 'NOT met'}`;
}

const HEADER = ['figure', 'unit', 'min', 'median', 'p95', 'max', 'n', 'goal'];

function row(f: Figure): string[] {
  const fmt = (v: number) => formatValue(v, f.unit);
  const { min, median, p95, max, n } = f.summary;
  return [
    f.label,
    f.unit,
    fmt(min),
    fmt(median),
    f.over === 'samples' ? fmt(p95) : '',
    fmt(max),
    `${n} ${f.over === 'single' ? '' : f.over}`.trim(),
    goalText(f.goal, f.unit),
  ];
}

function byPart(figures: readonly Figure[]): [Part, Figure[]][] {
  return PART_ORDER.map((part) => [part, figures.filter((f) => f.part === part)] as [Part, Figure[]]).filter(
    ([, list]) => list.length > 0,
  );
}

function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpuModel}), ${Math.round(m.memoryMB / 1024)} GiB, Node ${m.node}, ${m.platform}; load average ${m.loadStart.toFixed(2)} at start, ${m.loadEnd.toFixed(2)} at end`;
}

/** The console table: aligned columns, one block per part. */
export function renderTable(report: BenchReport): string {
  const lines: string[] = [`Machine: ${machineLine(report.machine)}`];
  if (report.smoke) lines.push('SMOKE RUN: tiny values, the figures prove presence only.');
  for (const [part, list] of byPart(report.figures)) {
    const rows = [HEADER, ...list.map(row)];
    const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
    lines.push('', PART_TITLES[part]);
    for (const [index, r] of rows.entries()) {
      lines.push(
        r
          .map((cell, i) =>
            i === 0 || i === 1 || i === 7 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
          )
          .join('  ')
          .trimEnd(),
      );
      if (index === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
    }
    for (const f of list.filter((x) => x.note)) lines.push(`  * ${f.label}: ${f.note}`);
  }
  if (report.notes.length > 0) lines.push('', 'Notes:', ...report.notes.map((n) => `  - ${n}`));
  return lines.join('\n');
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

/** The Markdown report: the same table per part, then the notes. */
export function renderMarkdown(report: BenchReport, extra = ''): string {
  const lines: string[] = [
    `# Benchmark report${report.smoke ? ' (smoke run: presence only)' : ''}`,
    '',
    `Run ${report.startedAt} (${Math.round(report.durationS)} s). Machine: ${machineLine(report.machine)}.`,
    '',
    'min/median/max are over A/B rounds ("rounds"), over individual samples ("samples", with p95), or a single measurement.',
  ];
  for (const [part, list] of byPart(report.figures)) {
    lines.push('', `## ${PART_TITLES[part]}`, '');
    lines.push(
      `| ${HEADER.join(' | ')} |`,
      `|${HEADER.map((_, i) => (i < 2 || i === 7 ? '---' : '---:')).join('|')}|`,
    );
    for (const f of list) lines.push(`| ${row(f).map(escapeCell).join(' | ')} |`);
    const noted = list.filter((x) => x.note);
    if (noted.length > 0) lines.push('', ...noted.map((f) => `- ${f.label}: ${f.note}`));
  }
  if (report.notes.length > 0) lines.push('', '## Notes', '', ...report.notes.map((n) => `- ${n}`));
  if (extra) lines.push('', extra);
  return `${lines.join('\n')}\n`;
}

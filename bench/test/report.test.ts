import { describe, expect, it } from 'vitest';
import { PARTS } from '../src/options.ts';
import {
  expectedFigureIds,
  figure,
  formatValue,
  missingFigures,
  renderMarkdown,
  renderTable,
  type BenchReport,
  type Figure,
} from '../src/report.ts';

const EVERY_SETUP = { pinned: true, oldNodeMajor: 20 };

/** One figure per expected id, each with distinctive values. */
function allFigures(): Figure[] {
  return expectedFigureIds(PARTS, EVERY_SETUP).map((id, index) =>
    figure({
      id,
      part: PARTS[index % PARTS.length]!,
      label: `Figure ${id}`,
      unit: 'ms',
      over: 'samples',
      values: [1000 + index, 2000 + index, 3000 + index],
      ...(index === 0 ? { goal: { op: '<=' as const, value: 1500 } } : {}),
      ...(index === 1 ? { goal: { op: '<=' as const, value: 5000, on: 'p95' as const } } : {}),
      ...(index === 2 ? { note: 'a note for the reader' } : {}),
    }),
  );
}

function report(figures: Figure[]): BenchReport {
  return {
    startedAt: '2026-11-20T10:00:00.000Z',
    finishedAt: '2026-11-20T10:05:00.000Z',
    durationS: 300,
    smoke: false,
    machine: {
      cores: 2,
      cpuModel: 'Test CPU',
      memoryMB: 24576,
      node: '20.20.2',
      platform: 'linux x64',
      loadStart: 1.5,
      loadEnd: 2.25,
    },
    options: {},
    figures,
    details: {},
    notes: ['the machine was shared'],
  };
}

describe('figure', () => {
  it('summarises its values and judges its goal on the median, or on p95 when asked', () => {
    const [first, second] = allFigures();
    expect(first!.summary).toMatchObject({ n: 3, min: 1000, median: 2000, max: 3000 });
    expect(first!.goal).toEqual({ op: '<=', value: 1500, on: 'median', met: false });
    expect(second!.goal).toMatchObject({ on: 'p95', met: true });
  });

  it('refuses a figure without values', () => {
    expect(() =>
      figure({ id: 'x', part: 'api', label: 'x', unit: 'ms', over: 'rounds', values: [] }),
    ).toThrow(RangeError);
  });
});

describe('renderTable and renderMarkdown', () => {
  const figures = allFigures();
  const rendered = { table: renderTable(report(figures)), markdown: renderMarkdown(report(figures)) };

  for (const [name, text] of Object.entries(rendered)) {
    it(`${name}: contains every figure with its min, median and max`, () => {
      for (const f of figures) {
        expect(text).toContain(f.label);
        for (const value of [f.summary.min, f.summary.median, f.summary.max]) {
          expect(text).toContain(formatValue(value, f.unit));
        }
      }
    });

    it(`${name}: states the core count, the goals and the notes`, () => {
      expect(text).toContain('2 cores');
      expect(text).toContain('median <= 1500: NOT met');
      expect(text).toContain('p95 <= 5000: met');
      expect(text).toContain('a note for the reader');
      expect(text).toContain('the machine was shared');
    });
  }

  it('markdown: one table row per figure', () => {
    const rows = rendered.markdown.split('\n').filter((line) => line.startsWith('| Figure '));
    expect(rows).toHaveLength(figures.length);
  });
});

describe('missingFigures', () => {
  it('lists nothing when every expected figure is there', () => {
    expect(missingFigures(allFigures(), PARTS, EVERY_SETUP)).toEqual([]);
  });

  it('lists the ids of absent figures, only for the parts that ran', () => {
    const figures = allFigures().filter((f) => f.id !== 'trace.complete_ms' && f.id !== 'stack.start_s');
    expect(missingFigures(figures, PARTS, EVERY_SETUP)).toEqual(['stack.start_s', 'trace.complete_ms']);
    expect(missingFigures(figures, ['latency'], EVERY_SETUP)).toEqual(['trace.complete_ms']);
    expect(missingFigures([], ['browser'], EVERY_SETUP)).toContain('web.js_gzip.delta');
  });

  it('expects the pinned and old-runtime figures only where the machine can run them', () => {
    const api = (setups: { pinned: boolean; oldNodeMajor?: number }) => missingFigures([], ['api'], setups);
    expect(api(EVERY_SETUP)).toEqual(
      expect.arrayContaining([
        'api.root.pinned.rps.ratio',
        'api.root.pinned.cpu_us.tutorial_vs_ours',
        'api.item.pinned.span_delivery.tutorial',
        'api.item.old.cpu_us.ours',
        'api.root.runtime.rps_ratio',
      ]),
    );
    expect(api({ pinned: true })).toContain('api.root.pinned.rps.ratio');
    // The tutorial set-up runs pinned only.
    expect(api(EVERY_SETUP).filter((id) => id.includes('tutorial') && !id.includes('.pinned.'))).toEqual([]);
    expect(api({ pinned: true }).filter((id) => id.includes('.old.') || id.includes('runtime'))).toEqual([]);
    expect(api({ pinned: false }).filter((id) => id.includes('pinned'))).toEqual([]);
    expect(api({ pinned: false })).toContain('jaeger.rss.after_load');
  });
});

describe('formatValue', () => {
  it('uses the precision of the unit', () => {
    expect(formatValue(12345.6, 'req/s')).toBe('12,346');
    expect(formatValue(0.6234, 'ratio')).toBe('0.62');
    expect(formatValue(3.14159, 'ms')).toBe('3.1');
    expect(formatValue(314.159, 'ms')).toBe('314');
    expect(formatValue(104.44, 'KB')).toBe('104.4');
  });
});

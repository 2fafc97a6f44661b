import { describe, expect, it } from 'vitest';
import {
  axisTicks,
  compareWithParent,
  layoutWaterfall,
  MIN_WIDTH_PCT,
  SERVICE_COLOURS,
  serviceColourIndexes,
  tickStep,
} from '../../src/waterfall/waterfall-layout';
import type { WaterfallLayout, WaterfallRow } from '../../src/waterfall/waterfall-layout';
import { clickTrace, span, T0 } from '../spans';

const ids = (layout: WaterfallLayout) => layout.rows.map((row) => row.span.spanId);
const row = (layout: WaterfallLayout, id: string): WaterfallRow => {
  const found = layout.rows.find((r) => r.span.spanId === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
};

/** Every bar inside the axis, never negative, never narrower than the minimum. */
function expectSaneBars(layout: WaterfallLayout): void {
  for (const r of layout.rows) {
    expect(Number.isFinite(r.offsetPct) && Number.isFinite(r.widthPct), r.span.spanId).toBe(true);
    expect(r.offsetPct, r.span.spanId).toBeGreaterThanOrEqual(0);
    expect(r.widthPct, r.span.spanId).toBeGreaterThanOrEqual(MIN_WIDTH_PCT);
    expect(r.offsetPct + r.widthPct, r.span.spanId).toBeLessThanOrEqual(100 + 1e-9);
    expect(r.startMs, r.span.spanId).toBeGreaterThanOrEqual(0);
    expect(r.durationMs, r.span.spanId).toBeGreaterThanOrEqual(0);
  }
}

describe('layoutWaterfall: the tree', () => {
  it('draws one click as a chain, one row per span, depth by parent', () => {
    const layout = layoutWaterfall(clickTrace());
    expect(ids(layout)).toEqual(['a1', 'b2', 'c3', 'd4', 'e5']);
    expect(layout.rows.map((r) => r.depth)).toEqual([0, 1, 2, 3, 4]);
    expect(layout.rows.map((r) => r.childCount)).toEqual([1, 1, 1, 1, 0]);
    expect(
      layout.rows.every(
        (r) =>
          !r.orphan &&
          !r.cycle &&
          !r.clockSkew &&
          !r.startsBeforeParent &&
          !r.endsAfterParent &&
          !r.invalidTiming,
      ),
    ).toBe(true);
    expectSaneBars(layout);
  });

  it('puts children right under their parent, siblings by start time, whatever the input order', () => {
    const spans = [
      span('late', 'root', { startUnixMs: T0 + 30 }),
      span('root', null, { startUnixMs: T0, durationMs: 100 }),
      span('late-child', 'late', { startUnixMs: T0 + 31, durationMs: 1 }),
      span('early', 'root', { startUnixMs: T0 + 5 }),
      span('early-child', 'early', { startUnixMs: T0 + 6, durationMs: 1 }),
    ];
    const layout = layoutWaterfall(spans);
    expect(ids(layout)).toEqual(['root', 'early', 'early-child', 'late', 'late-child']);
    expect(layout.rows.map((r) => r.depth)).toEqual([0, 1, 2, 1, 2]);
    // The same rows for any permutation of the input.
    expect(ids(layoutWaterfall([...spans].reverse()))).toEqual(ids(layout));
  });

  it('orders siblings that start together by their input order (deterministic)', () => {
    const layout = layoutWaterfall([
      span('root', null, { durationMs: 50 }),
      span('x', 'root'),
      span('y', 'root'),
      span('z', 'root'),
    ]);
    expect(ids(layout)).toEqual(['root', 'x', 'y', 'z']);
  });

  it('treats an empty parent id as a root (how OTLP spells it)', () => {
    const layout = layoutWaterfall([span('r', '')]);
    expect(row(layout, 'r')).toMatchObject({ depth: 0, orphan: false });
  });

  it('draws an orphan (its parent is not in the trace) at depth 0, flagged, with its subtree under it', () => {
    const layout = layoutWaterfall([
      span('root', null, { service: 'web', durationMs: 100 }),
      span('orphan', 'lost-parent', { startUnixMs: T0 + 10 }),
      span('orphan-child', 'orphan', { startUnixMs: T0 + 11, durationMs: 1 }),
    ]);
    expect(ids(layout)).toEqual(['root', 'orphan', 'orphan-child']);
    expect(row(layout, 'orphan')).toMatchObject({ depth: 0, orphan: true });
    expect(row(layout, 'orphan-child')).toMatchObject({ depth: 1, orphan: false });
    expect(row(layout, 'root').orphan).toBe(false);
  });

  it('draws a trace whose root has not arrived: only orphans, each subtree intact', () => {
    const layout = layoutWaterfall([
      span('server', 'browser-fetch', { kind: 'server', durationMs: 20 }),
      span('handler', 'server', { startUnixMs: T0 + 1, durationMs: 5 }),
    ]);
    expect(layout.rows.map((r) => [r.span.spanId, r.depth, r.orphan])).toEqual([
      ['server', 0, true],
      ['handler', 1, false],
    ]);
  });

  it('cuts a span that is its own parent, without looping', () => {
    const layout = layoutWaterfall([span('self', 'self')]);
    expect(layout.rows).toHaveLength(1);
    expect(row(layout, 'self')).toMatchObject({ depth: 0, cycle: true, orphan: false });
  });

  it('cuts a loop of parent links (A → B → C → A) once, every span drawn once', () => {
    const layout = layoutWaterfall([
      span('a', 'c', { startUnixMs: T0 + 2 }),
      span('b', 'a', { startUnixMs: T0 + 1 }),
      span('c', 'b', { startUnixMs: T0 + 3 }),
      span('hanging', 'b', { startUnixMs: T0 }),
    ]);
    expect(layout.rows).toHaveLength(4);
    expect(new Set(ids(layout))).toEqual(new Set(['a', 'b', 'c', 'hanging']));
    // Cut at a span ON the loop (not at `hanging`, which merely hangs off it).
    const cut = layout.rows.filter((r) => r.cycle);
    expect(cut).toHaveLength(1);
    expect(['a', 'b', 'c']).toContain(cut[0]!.span.spanId);
    expect(cut[0]!.depth).toBe(0);
    expect(row(layout, 'hanging').cycle).toBe(false);
    expect(row(layout, 'hanging').depth).toBeGreaterThan(0);
    expectSaneBars(layout);
  });

  it('keeps two separate loops and a normal tree apart', () => {
    const layout = layoutWaterfall([
      span('root', null, { durationMs: 100 }),
      span('kid', 'root'),
      span('p', 'q'),
      span('q', 'p'),
      span('x', 'y'),
      span('y', 'x'),
    ]);
    expect(layout.rows).toHaveLength(6);
    expect(layout.rows.filter((r) => r.cycle)).toHaveLength(2);
    expect(ids(layout).slice(0, 2)).toEqual(['root', 'kid']);
  });

  it('handles a deep chain without recursion limits', () => {
    const depth = 20_000;
    const spans = Array.from({ length: depth }, (_, i) =>
      span(`s${i}`, i === 0 ? null : `s${i - 1}`, { startUnixMs: T0 + i, durationMs: depth - i }),
    );
    const layout = layoutWaterfall(spans);
    expect(layout.rows).toHaveLength(depth);
    expect(layout.rows.at(-1)!.depth).toBe(depth - 1);
  });

  it('draws every span even when two share an id; children hang under the first', () => {
    const layout = layoutWaterfall([
      span('root', null, { durationMs: 100 }),
      span('dup', 'root', { startUnixMs: T0 + 1, name: 'first' }),
      span('dup', 'root', { startUnixMs: T0 + 2, name: 'second' }),
      span('kid', 'dup', { startUnixMs: T0 + 3, durationMs: 1 }),
    ]);
    expect(layout.rows.map((r) => r.span.name)).toEqual(['span root', 'first', 'span kid', 'second']);
    expect(layout.rows.map((r) => r.duplicateId)).toEqual([false, false, false, true]);
  });

  it('lays out an empty trace as no rows on an empty axis', () => {
    const layout = layoutWaterfall([]);
    expect(layout).toMatchObject({ rows: [], totalMs: 0, services: [], errorCount: 0 });
    expect(layout.ticks).toEqual([{ ms: 0, pct: 0 }]);
  });
});

describe('layoutWaterfall: the time axis', () => {
  it('runs from the earliest start to the latest end, shared by all rows', () => {
    const layout = layoutWaterfall(clickTrace());
    expect(layout.originUnixMs).toBe(T0);
    expect(layout.totalMs).toBeCloseTo(53.3, 6);
    const server = row(layout, 'c3');
    expect(server.startMs).toBeCloseTo(16, 6);
    expect(server.offsetPct).toBeCloseTo((16 / 53.3) * 100, 6);
    expect(server.widthPct).toBeCloseTo((14.25 / 53.3) * 100, 6);
    expect(row(layout, 'a1')).toMatchObject({ offsetPct: 0, widthPct: 100 });
  });

  it('gives a 0 ms span the minimum width, inside the axis even at its very end', () => {
    const layout = layoutWaterfall([
      span('root', null, { durationMs: 100 }),
      span('instant', 'root', { startUnixMs: T0 + 100, durationMs: 0 }),
      span('start', 'root', { startUnixMs: T0, durationMs: 0 }),
    ]);
    expect(row(layout, 'instant')).toMatchObject({ widthPct: MIN_WIDTH_PCT, offsetPct: 100 - MIN_WIDTH_PCT });
    expect(row(layout, 'start')).toMatchObject({ widthPct: MIN_WIDTH_PCT, offsetPct: 0 });
    expectSaneBars(layout);
  });

  it('draws a trace of one 0 ms span as a minimum bar at the start', () => {
    const layout = layoutWaterfall([span('only', null, { durationMs: 0 })]);
    expect(layout.totalMs).toBe(0);
    expect(row(layout, 'only')).toMatchObject({ offsetPct: 0, widthPct: MIN_WIDTH_PCT, startMs: 0 });
  });

  it('clock skew: a child of another service that starts before its parent stays on the axis, flagged', () => {
    // The server's clock is 40 ms behind the browser's: its span "starts" before the fetch that caused it.
    const layout = layoutWaterfall([
      span('action', null, { service: 'web', startUnixMs: T0, durationMs: 60 }),
      span('fetch', 'action', { service: 'web', kind: 'client', startUnixMs: T0 + 2, durationMs: 55 }),
      span('server', 'fetch', { kind: 'server', startUnixMs: T0 - 40, durationMs: 20 }),
      span('handler', 'server', { startUnixMs: T0 - 38, durationMs: 10 }),
    ]);
    expect(ids(layout)).toEqual(['action', 'fetch', 'server', 'handler']);
    expect(layout.rows.map((r) => r.depth)).toEqual([0, 1, 2, 3]);
    // The axis starts at the skewed child: nothing negative, nothing outside.
    expect(layout.originUnixMs).toBe(T0 - 40);
    expect(layout.totalMs).toBe(100);
    expect(row(layout, 'server')).toMatchObject({
      offsetPct: 0,
      widthPct: 20,
      clockSkew: true,
      startsBeforeParent: true,
    });
    expect(row(layout, 'action')).toMatchObject({ startMs: 40, offsetPct: 40, widthPct: 60 });
    // Same clock as its parent, inside it: not flagged.
    expect(row(layout, 'handler')).toMatchObject({ clockSkew: false, startsBeforeParent: false });
    expect(row(layout, 'fetch')).toMatchObject({ clockSkew: false, startsBeforeParent: false });
    expectSaneBars(layout);
  });

  it('not clock skew: the inventory SERVER span ending after the API CLIENT span that called it', () => {
    // The CLIENT span ends when the response headers arrive; the inventory's
    // SERVER span ends a moment later, once its response is finished.
    const layout = layoutWaterfall([
      span('client', null, { service: 'api', kind: 'client', startUnixMs: T0, durationMs: 3.59 }),
      span('server', 'client', {
        service: 'inventory',
        kind: 'server',
        startUnixMs: T0 + 1,
        durationMs: 2.76,
      }),
    ]);
    expect(layout.totalMs).toBeCloseTo(3.76, 9);
    expect(row(layout, 'server')).toMatchObject({
      clockSkew: false,
      startsBeforeParent: false,
      endsAfterParent: true,
    });
    expectSaneBars(layout);
  });

  it('not clock skew: a child that ends long after its parent, in the same service, stretches the axis', () => {
    const layout = layoutWaterfall([
      span('fetch', null, { startUnixMs: T0, durationMs: 10 }),
      span('server', 'fetch', { startUnixMs: T0 + 5, durationMs: 45 }),
    ]);
    expect(layout.totalMs).toBe(50);
    expect(row(layout, 'server')).toMatchObject({
      clockSkew: false,
      endsAfterParent: true,
      offsetPct: 10,
      widthPct: 90,
    });
    expect(row(layout, 'fetch')).toMatchObject({ offsetPct: 0, widthPct: 20 });
    expectSaneBars(layout);
  });

  it('does not flag sub-microsecond rounding', () => {
    const layout = layoutWaterfall([
      span('p', null, { startUnixMs: T0, durationMs: 10 }),
      span('c', 'p', { service: 'inventory', startUnixMs: T0 - 0.0004, durationMs: 10.0007 }),
    ]);
    expect(row(layout, 'c')).toMatchObject({
      clockSkew: false,
      startsBeforeParent: false,
      endsAfterParent: false,
    });
  });

  describe('compareWithParent: the clock skew rule', () => {
    const parent = span('p', null, { service: 'api', startUnixMs: T0, durationMs: 10 });

    it.each([
      ['inside its parent, another service', { service: 'inventory', startUnixMs: T0 + 1, durationMs: 5 }],
      [
        'ends after its parent, another service',
        { service: 'inventory', startUnixMs: T0 + 1, durationMs: 50 },
      ],
      ['starts after its parent ended, another service', { service: 'inventory', startUnixMs: T0 + 20 }],
      ['starts before its parent, the same service', { service: 'api', startUnixMs: T0 - 5 }],
      [
        'starts 0.5 µs before its parent (rounding), another service',
        { service: 'web', startUnixMs: T0 - 0.0005 },
      ],
    ])('accepts a child that %s: no skew', (_label, overrides) => {
      expect(compareWithParent(span('c', 'p', overrides), parent).clockSkew).toBe(false);
    });

    it.each([
      ['1 ms', T0 - 1],
      ['an hour', T0 - 3_600_000],
    ])('rejects a child of another service that starts %s before its parent: skew', (_label, start) => {
      expect(compareWithParent(span('c', 'p', { service: 'web', startUnixMs: start }), parent)).toEqual({
        startsBeforeParent: true,
        endsAfterParent: false,
        clockSkew: true,
      });
    });

    it('says what lies outside the parent on each side, separately', () => {
      expect(compareWithParent(span('c', 'p', { service: 'api', startUnixMs: T0 - 5 }), parent)).toEqual({
        startsBeforeParent: true,
        endsAfterParent: false,
        clockSkew: false,
      });
      expect(compareWithParent(span('c', 'p', { startUnixMs: T0 + 5, durationMs: 6 }), parent)).toEqual({
        startsBeforeParent: false,
        endsAfterParent: true,
        clockSkew: false,
      });
    });

    it('flags nothing when either span has unusable times', () => {
      const none = { startsBeforeParent: false, endsAfterParent: false, clockSkew: false };
      const early = span('c', 'p', { service: 'web', startUnixMs: T0 - 5 });
      expect(compareWithParent(early, { ...parent, durationMs: -1 })).toEqual(none);
      expect(compareWithParent({ ...early, startUnixMs: Number.NaN }, parent)).toEqual(none);
    });
  });

  it('flags spans with unusable times and keeps them out of the axis', () => {
    const layout = layoutWaterfall([
      span('ok', null, { startUnixMs: T0, durationMs: 10 }),
      span('nan-start', 'ok', { startUnixMs: Number.NaN }),
      span('negative', 'ok', { startUnixMs: T0 + 2, durationMs: -5 }),
      span('infinite', 'ok', { startUnixMs: T0 + 1, durationMs: Number.POSITIVE_INFINITY }),
    ]);
    expect(layout.totalMs).toBe(10);
    expect(layout.originUnixMs).toBe(T0);
    expect(layout.rows.map((r) => [r.span.spanId, r.invalidTiming])).toEqual([
      ['ok', false],
      ['infinite', true],
      ['negative', true],
      // An unusable start sorts after its siblings.
      ['nan-start', true],
    ]);
    expect(row(layout, 'negative').durationMs).toBe(0);
    expect(row(layout, 'nan-start')).toMatchObject({ startMs: 0, offsetPct: 0 });
    expectSaneBars(layout);
  });

  it('survives a trace where no span has a usable time', () => {
    const layout = layoutWaterfall([span('a', null, { startUnixMs: Number.NaN, durationMs: Number.NaN })]);
    expect(layout.totalMs).toBe(0);
    expect(layout.originUnixMs).toBe(0);
    expectSaneBars(layout);
  });
});

describe('layoutWaterfall: services and errors', () => {
  it('lists services in the order their first row appears, with counts', () => {
    const spans = clickTrace();
    spans[2] = { ...spans[2]!, status: { code: 'error', message: 'boom' } };
    const layout = layoutWaterfall(spans);
    expect(layout.services.map((s) => [s.service, s.spanCount, s.errorCount])).toEqual([
      ['web', 2, 0],
      ['api', 3, 1],
    ]);
    expect(layout.errorCount).toBe(1);
    expect(row(layout, 'c3').isError).toBe(true);
    expect(row(layout, 'd4').isError).toBe(false);
  });

  it('gives each service of a trace its own colour, the same whatever the span order', () => {
    const spans = [
      ...clickTrace(),
      span('i1', 'e5', { service: 'inventory', kind: 'server', startUnixMs: T0 + 20, durationMs: 0.5 }),
    ];
    const a = layoutWaterfall(spans);
    const b = layoutWaterfall([...spans].reverse());
    const colours = (layout: WaterfallLayout) =>
      Object.fromEntries(layout.services.map((s) => [s.service, s.serviceIndex]));
    expect(colours(a)).toEqual(colours(b));
    expect(new Set(Object.values(colours(a))).size).toBe(3);
    for (const r of a.rows) expect(r.serviceIndex).toBe(colours(a)[r.span.service]);
  });
});

describe('serviceColourIndexes', () => {
  it("gives the demo's services their fixed colours", () => {
    expect(Object.fromEntries(serviceColourIndexes(['inventory', 'api', 'web']))).toEqual({
      web: 0,
      api: 1,
      inventory: 2,
    });
    // Another service never takes one of theirs in the same trace.
    const withOther = serviceColourIndexes(['web', 'api', 'inventory', 'billing']);
    expect([0, 1, 2]).not.toContain(withOther.get('billing'));
  });

  it('spreads unknown services by name when nothing is preferred', () => {
    const a = serviceColourIndexes(['x', 'y'], {});
    expect(a.get('x')).not.toBe(a.get('y'));
  });

  it('is deterministic and independent of order and repeats', () => {
    const a = serviceColourIndexes(['web', 'api', 'inventory']);
    const b = serviceColourIndexes(['inventory', 'web', 'api', 'web']);
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
  });

  it('keeps a service on its colour from one trace to the next when there is no clash', () => {
    const alone = serviceColourIndexes(['billing']).get('billing');
    const withDemo = serviceColourIndexes(['billing', 'web']);
    if (alone !== 0) expect(withDemo.get('billing')).toBe(alone);
  });

  it('never shares a colour among up to SERVICE_COLOURS services, and stays in range beyond', () => {
    const names = Array.from({ length: SERVICE_COLOURS }, (_, i) => `service-${i}`);
    expect(new Set(serviceColourIndexes(names).values()).size).toBe(SERVICE_COLOURS);
    const mixed = ['web', 'api', 'inventory', ...names.slice(3)];
    expect(new Set(serviceColourIndexes(mixed).values()).size).toBe(SERVICE_COLOURS);
    const many = serviceColourIndexes(Array.from({ length: 3 * SERVICE_COLOURS }, (_, i) => `s${i}`));
    expect(many.size).toBe(3 * SERVICE_COLOURS);
    for (const index of many.values()) {
      expect(Number.isInteger(index) && index >= 0 && index < SERVICE_COLOURS).toBe(true);
    }
  });
});

describe('axis ticks', () => {
  it('picks 1, 2 or 5 × 10^k', () => {
    expect(tickStep(53.3, 4)).toBe(20);
    expect(tickStep(100, 4)).toBe(50);
    expect(tickStep(1000, 5)).toBe(200);
    expect(tickStep(0.8, 4)).toBeCloseTo(0.2, 12);
    expect(tickStep(7000, 4)).toBe(2000);
  });

  it('refuses an empty or invalid axis', () => {
    expect(tickStep(0, 4)).toBe(0);
    expect(tickStep(-5, 4)).toBe(0);
    expect(tickStep(Number.NaN, 4)).toBe(0);
    expect(tickStep(10, 0)).toBe(0);
    expect(tickStep(10, 1.5)).toBe(0);
  });

  it('places ticks from 0 within the axis', () => {
    expect(axisTicks(53.3)).toEqual([
      { ms: 0, pct: 0 },
      { ms: 20, pct: (20 / 53.3) * 100 },
      { ms: 40, pct: (40 / 53.3) * 100 },
    ]);
    expect(axisTicks(100).map((t) => t.pct)).toEqual([0, 50, 100]);
    for (const total of [0.3, 1, 7, 53.3, 999, 12_345]) {
      const ticks = axisTicks(total);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(5);
      for (const t of ticks) expect(t.pct >= 0 && t.pct <= 100).toBe(true);
    }
  });
});
